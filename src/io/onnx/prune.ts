/**
 * Dead-node elimination over the emitted graph. The trace already drops ops nobody reads, but one
 * op can emit several nodes, and an op kept for one result may emit nodes for another that is never
 * read (max(x, dim)'s ArgMax + Cast when only `.values` is used). ONNX checkers accept such nodes,
 * but runtimes still execute them.
 */
import type { OnnxNode, OnnxTensor } from "./schema.js";

/** The nodes some graph output depends on (in their order), and the initializers they read. */
export function pruneUnused(nodes: readonly OnnxNode[], initializers: readonly OnnxTensor[], graphOutputs: readonly string[]): { nodes: OnnxNode[]; initializers: OnnxTensor[] } {
  const live = new Set(graphOutputs);
  const kept: OnnxNode[] = [];
  // Nodes are emitted in topological order, so one backward sweep finds every node an output needs.
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n.output.some((o) => live.has(o))) continue;
    kept.push(n);
    for (const name of n.input) if (name !== "") live.add(name);
  }
  return { nodes: kept.reverse(), initializers: initializers.filter((t) => live.has(t.name)) };
}
