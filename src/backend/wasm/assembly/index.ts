// Entry point of the kernel module: every export is called by the JS side (../index.ts, ../pool.ts).
export { gemmScratchBytes, matmulTask, MR } from "./gemm";
export { unaryTask, binaryTask, compareTask, castTask, whereTask, reduceTask, softmaxTask, sgdTask, adamTask } from "./elementwise";
export {
  convScratchBytes, convFusable, setThreadIndex, conv2dTask, conv2dBackwardInputTask, conv2dBackwardWeightTask, sumPartialsTask,
  conv2dBackwardWeightLaneTask,
} from "./conv";
export { maxPoolTask, maxPoolBackwardTask, avgPoolTask, avgPoolBackwardTask } from "./pool";
