import Foundation

/// CIFAR-10 "binary version" batches (Krizhevsky 2009): each file is a sequence of 3,073-byte records, one
/// label byte (0 … 9) followed by 3,072 pixel bytes (the 1,024 red, then green, then blue values of a 32×32
/// image, row-major). Features keep that channel-major order, scaled to [0, 1] by dividing by 255.
/// Files may be plain or gzip-compressed.
public enum CIFAR10 {
    /// Pixel bytes per image (3 channels × 32 × 32).
    public static let featureCount = 3_072
    /// Bytes per record (1 label byte + ``featureCount`` pixel bytes).
    public static let recordSize = 3_073
    /// Number of classes.
    public static let classCount = 10
    /// Largest batch file accepted: 2³¹ bytes (the real batches are 30,730,000 bytes).
    public static let maximumFileBytes = 1 << 31

    /// Loads one batch file (e.g. `data_batch_1.bin` or `test_batch.bin`).
    /// - Throws: ``DatasetError`` naming `path`: `fileNotFound`, `unreadable`, `corruptCompression`,
    ///   `truncated` (empty, or a length that is not a whole number of records), `badDimensions` (larger than
    ///   ``maximumFileBytes``), `labelOutOfRange` (a label byte ≥ 10).
    public static func loadBatch(at path: String) throws(DatasetError) -> Dataset {
        let file = try DataFile(path: path)
        let bytes = try file.readToEnd(limit: maximumFileBytes)
        guard !bytes.isEmpty else { throw .truncated(file: path, reason: "empty file, expected 3073-byte records") }
        guard bytes.count % recordSize == 0 else {
            throw .truncated(
                file: path,
                reason: "\(bytes.count) bytes is not a whole number of \(recordSize)-byte records "
                    + "(\(bytes.count / recordSize) records + \(bytes.count % recordSize) bytes)")
        }
        let count = bytes.count / recordSize
        var labels = [Int32](repeating: 0, count: count)
        var pixels = [UInt8]()
        pixels.reserveCapacity(count * featureCount)
        for r in 0..<count {
            let base = r * recordSize
            let label = Int(bytes[base])
            guard label < classCount else {
                throw .labelOutOfRange(file: path, index: r, label: label, classCount: classCount)
            }
            labels[r] = Int32(label)
            pixels.append(contentsOf: bytes[(base + 1)..<(base + recordSize)])
        }
        return Dataset(
            unchecked: scaledPixels(pixels), labels: labels, featureCount: featureCount, classCount: classCount)
    }

    /// Loads the training batches `data_batch_1.bin`, `data_batch_2.bin`, … (consecutive numbers from 1, as
    /// many as exist) and `test_batch.bin` from `directory` (the `cifar-10-batches-bin` folder).
    /// - Throws: ``DatasetError/fileNotFound(file:)`` naming `data_batch_1.bin` or `test_batch.bin` if absent,
    ///   and every error of ``loadBatch(at:)``.
    public static func load(directory: String) throws(DatasetError) -> TrainTestSplit {
        let dir = URL(fileURLWithPath: directory)
        var batches = [Dataset]()
        var index = 1
        while true {
            let path = dir.appendingPathComponent("data_batch_\(index).bin").path
            if index > 1 && !FileManager.default.fileExists(atPath: path) { break }
            batches.append(try loadBatch(at: path))
            index += 1
        }
        let test = try loadBatch(at: dir.appendingPathComponent("test_batch.bin").path)
        return try TrainTestSplit(train: Dataset.concatenating(batches), test: test)
    }
}
