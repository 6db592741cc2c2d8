// FederatedLearning: datasets, partitioners, models on flat parameter vectors, local SGD and FedAvg.
// The `Aggregator` protocol is the seam through which protected aggregation plugs in (Specs/training.md).
