/**
 * The MNIST models of src/models built in TensorFlow.js, for bench/run.ts and bench/rss.ts.
 * Same layers, sizes and batch shapes as mnistMlp/mnistCnn; images are NHWC ([N,28,28,1]),
 * TensorFlow.js's native layout (deeptype and PyTorch use NCHW [N,1,28,28]: same element count).
 * Every step runs inside the optimizer's tidy, as TensorFlow.js requires to avoid leaking tensors.
 */
import * as tf from "@tensorflow/tfjs";

export function tfMnistMlp(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 256, activation: "relu" }),
      tf.layers.dense({ units: 128, activation: "relu" }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

export function tfMnistCnn(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: "same", activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: "same", activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: "relu" }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

/** One optimizer step (forward, softmax cross-entropy, backward, update) on a fixed random batch. */
export function tfTrainStep(name: "mlp" | "cnn", optimizer: "sgd" | "adam", batch = 64): () => void {
  const model = name === "mlp" ? tfMnistMlp() : tfMnistCnn();
  const opt = optimizer === "sgd" ? tf.train.sgd(0.01) : tf.train.adam(1e-3);
  const x = tf.randomNormal([batch, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, "int32"), 10);
  return () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar, true)!;
    loss.dataSync();
    loss.dispose();
  };
}

/** `model.predict` on a fixed random batch (inference: no gradient tape). */
export function tfPredict(batch: number): () => void {
  const model = tfMnistCnn();
  const x = tf.randomNormal([batch, 28, 28, 1]);
  return () => {
    const y = model.predict(x) as tf.Tensor;
    y.dataSync();
    y.dispose();
  };
}
