import { nn, optim, data, noGrad } from "deeptype";

const train = new data.MnistDataset({ train: true });
const test = new data.MnistDataset({ train: false });
const loader = new data.DataLoader(train, { batchSize: 64, shuffle: true });
const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
const lossFn = new nn.CrossEntropyLoss();

for (let epoch = 1; epoch <= 2; epoch++) {
  for (const { image, label } of loader) {
    optimizer.zeroGrad();
    const loss = lossFn.call(model.call(image), label);
    loss.backward();
    optimizer.step();
  }
  const correct = noGrad(() => model.call(test.images).argmax(1).eq(test.labels).sum().item());
  console.log(`epoch ${epoch}: test accuracy ${(100 * correct / test.length).toFixed(1)}%`);
}
