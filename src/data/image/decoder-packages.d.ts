// jpeg-js, fast-png and fflate ship their own types; deeptype types the parts it uses locally
// (decode.ts, validate.ts) so its published types do not depend on theirs.
export {};
