/**
 * Runtime argument checks for the public surface. JavaScript callers have no compiler, so every
 * entry point checks what it was given and throws one kind of message:
 * `<function>: <argument> must be <what it takes>, got <what it got>`.
 *
 * It lives at the bottom layer (it imports only its siblings in src/tensor that import nothing
 * else) so tensor, nn, optim, data and io can all use it; it recognises tensors by shape, not by
 * class, for the same reason. Every layer imports it through this file; the code is split by purpose:
 * the value checks (check-args.ts), options-object keys (check-keys.ts), schemas for plain data read
 * from files (check-schema.ts) and the public entry layer that wraps every op (guard.ts).
 */
export * from "./check-args.js";
export * from "./check-keys.js";
export * from "./check-schema.js";
export * from "./guard.js";
