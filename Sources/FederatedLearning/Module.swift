// FederatedLearning: the training side of SecAggKit.
//
// - Data: ``Dataset`` (row-major Float features, Int32 labels), loaders for MNIST-format IDX files (``IDX``) and
//   CIFAR-10 binary batches (``CIFAR10``), plain or gzip, and a seeded synthetic set (``SyntheticClassification``).
// - ``Partition``: IID, Dirichlet(α) label skew and shards, deterministic from a seed.
// - ``Model``: softmax regression and ReLU MLPs on one flat `[Float]` parameter vector, mini-batch SGD
//   (``SGDConfiguration``), evaluation.
// - ``FedAvg``: a step-by-step round driver; aggregation goes through the ``Aggregator`` protocol, the seam where
//   protected aggregation plugs in (``PlainAggregator`` is the in-the-clear reference).
//
// Nothing here is cryptographic and nothing here imports the crypto modules. Specs/training.md is the spec.
