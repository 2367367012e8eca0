"""An independent check of `mnist train --model softmax`: mnist_softmax.py redone in NumPy.

It follows TensorFlow 1.x exactly where the result depends on it: validation = the first 5,000
training images, pixels * (1/255) in float32, a shuffle at the first next_batch call and again when
an epoch runs out (the batch that crosses the end takes the rest of the old order, then the start of
the new one), W and b zeros, the mean of the stable softmax cross-entropy, gradient descent 0.5,
1,000 steps of 100. Its spread over seeds is what ours should match; the seeds themselves differ
(NumPy's Mersenne Twister is not our generator).

usage: python3 tools/reference/softmax_numpy.py [DATA_DIR] [FIRST_SEED] [END_SEED]
DATA_DIR holds the four IDX files raw or as NAME.gz (preferred when both are there, as `mnist` does), so
Debian's Fashion-MNIST folder works as it is: python3 tools/reference/softmax_numpy.py /usr/share/datasets/fashion-mnist
"""
import gzip
import os
import sys

import numpy as np

data_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/mnist")
first, end = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (0, 40)


def read(name):
    path = os.path.join(data_dir, name)
    return gzip.open(path + ".gz").read() if os.path.exists(path + ".gz") else open(path, "rb").read()


def images(name):
    return np.frombuffer(read(name)[16:], np.uint8).reshape(-1, 784).astype(np.float32) * np.float32(1 / 255)


def labels(name):
    return np.frombuffer(read(name)[8:], np.uint8).astype(np.int64)


train_x = images("train-images-idx3-ubyte")[5000:]
train_y = labels("train-labels-idx1-ubyte")[5000:]
test_x = images("t10k-images-idx3-ubyte")
test_y = labels("t10k-labels-idx1-ubyte")
n, batch, rate = len(train_x), 100, np.float32(0.5)

accuracies = []
for seed in range(first, end):
    rng = np.random.RandomState(seed)
    order, position = rng.permutation(n), 0
    w, b = np.zeros((784, 10), np.float32), np.zeros(10, np.float32)
    for _ in range(1000):
        if position + batch > n:
            rest = order[position:]
            order, position = rng.permutation(n), batch - len(rest)
            index = np.concatenate([rest, order[:position]])
        else:
            index, position = order[position:position + batch], position + batch
        x, y = train_x[index], np.eye(10, dtype=np.float32)[train_y[index]]
        z = x @ w + b
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        grad = (p - y) / np.float32(batch)  # d(mean cross-entropy)/dz
        w -= rate * (x.T @ grad)
        b -= rate * grad.sum(0)
    accuracy = ((test_x @ w + b).argmax(1) == test_y).mean()
    accuracies.append(accuracy)
    print(f"seed {seed}: test accuracy {accuracy:.4f}", flush=True)

a = np.array(accuracies)
print(f"{len(a)} seeds: mean {a.mean():.4f}, sd {a.std(ddof=1):.4f}, min {a.min():.4f}, max {a.max():.4f}, "
      f"{(a >= 0.915).sum()} of {len(a)} >= 0.915")
