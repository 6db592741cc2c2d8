/// MNIST-format IDX files (LeCun et al.): unsigned-byte images (`idx3-ubyte`, magic `0x00000803`, then
/// big-endian `UInt32` count, rows, columns, then count·rows·columns pixel bytes, row-major) and unsigned-byte
/// labels (`idx1-ubyte`, magic `0x00000801`, then count, then count label bytes). Files may be plain or
/// gzip-compressed (detected by content, not by name). Any image size and class count; pixels are scaled to
/// [0, 1] by dividing by 255. The byte-exact format and every check are in `Specs/training.md`.
public enum IDX {
    /// Magic number of an unsigned-byte, 3-dimensional (images) IDX file.
    public static let imageMagic: UInt32 = 0x0000_0803
    /// Magic number of an unsigned-byte, 1-dimensional (labels) IDX file.
    public static let labelMagic: UInt32 = 0x0000_0801
    /// Largest pixel payload (count·rows·columns bytes) a loader accepts: 2³² bytes.
    public static let maximumPixelBytes = 1 << 32

    /// The raw contents of an IDX image file.
    public struct Images: Sendable, Equatable {
        /// Number of images.
        public let count: Int
        /// Rows per image.
        public let rows: Int
        /// Columns per image.
        public let columns: Int
        /// `count·rows·columns` pixel bytes, image-major then row-major.
        public let pixels: [UInt8]
    }

    /// Reads an IDX image file (plain or gzip).
    /// - Throws: ``DatasetError`` naming `path`: `fileNotFound`, `unreadable`, `badMagic`, `badDimensions`
    ///   (a zero dimension, or more than ``maximumPixelBytes``), `truncated`, `trailingBytes`, `corruptCompression`.
    public static func readImages(at path: String) throws(DatasetError) -> Images {
        let file = try DataFile(path: path)
        let magicBytes = try file.read(exactly: 4, what: "the IDX magic number")
        let magic = bigEndianUInt32(magicBytes, at: 0)
        guard magic == imageMagic else { throw .badMagic(file: path, expected: imageMagic, found: magic) }
        let header = try file.read(exactly: 12, what: "the image dimensions (count, rows, columns)")
        let count = Int(bigEndianUInt32(header, at: 0))
        let rows = Int(bigEndianUInt32(header, at: 4))
        let columns = Int(bigEndianUInt32(header, at: 8))
        guard count >= 1, rows >= 1, columns >= 1 else {
            throw .badDimensions(
                file: path, reason: "count, rows and columns must all be ≥ 1, header says \(count)×\(rows)×\(columns)")
        }
        let (imageBytes, o1) = rows.multipliedReportingOverflow(by: columns)
        let (pixelBytes, o2) = imageBytes.multipliedReportingOverflow(by: count)
        guard !o1, !o2, pixelBytes <= maximumPixelBytes else {
            throw .badDimensions(
                file: path,
                reason: "\(count)×\(rows)×\(columns) pixels exceeds the limit of \(maximumPixelBytes) bytes")
        }
        let pixels = try file.read(exactly: pixelBytes, what: "\(count)×\(rows)×\(columns) pixel bytes")
        guard try file.isAtEnd() else {
            throw .trailingBytes(
                file: path,
                reason: "data continues after the \(count)×\(rows)×\(columns) pixel bytes the header declares")
        }
        return Images(count: count, rows: rows, columns: columns, pixels: pixels)
    }

    /// Reads an IDX label file (plain or gzip).
    /// - Throws: ``DatasetError`` naming `path`: `fileNotFound`, `unreadable`, `badMagic`, `badDimensions`
    ///   (zero labels), `truncated`, `trailingBytes`, `corruptCompression`.
    public static func readLabels(at path: String) throws(DatasetError) -> [UInt8] {
        let file = try DataFile(path: path)
        let magicBytes = try file.read(exactly: 4, what: "the IDX magic number")
        let magic = bigEndianUInt32(magicBytes, at: 0)
        guard magic == labelMagic else { throw .badMagic(file: path, expected: labelMagic, found: magic) }
        let header = try file.read(exactly: 4, what: "the label count")
        let count = Int(bigEndianUInt32(header, at: 0))
        guard count >= 1 else { throw .badDimensions(file: path, reason: "label count must be ≥ 1, header says 0") }
        let labels = try file.read(exactly: count, what: "\(count) label bytes")
        guard try file.isAtEnd() else {
            throw .trailingBytes(file: path, reason: "data continues after the \(count) labels the header declares")
        }
        return labels
    }

    /// Loads an image file and its label file as a ``Dataset`` (features = pixels / 255, row-major).
    /// - Parameters:
    ///   - images: path of the `idx3-ubyte` file.
    ///   - labels: path of the `idx1-ubyte` file.
    ///   - classCount: the number of classes; labels must be below it. `nil`: the largest label + 1.
    /// - Throws: the errors of ``readImages(at:)`` and ``readLabels(at:)``; `countMismatch` (naming the label
    ///   file) if the files hold different numbers of samples; `labelOutOfRange` (naming the label file).
    public static func loadDataset(images: String, labels: String, classCount: Int? = nil) throws(DatasetError)
        -> Dataset
    {
        let image = try readImages(at: images)
        let label = try readLabels(at: labels)
        return try dataset(image, label, labelsPath: labels, imagesPath: images, classCount: classCount)
    }

    /// Loads a train and a test set (e.g. MNIST's four files). The class count, unless given, is the largest
    /// label in either set + 1; both sets must have the same image size.
    /// - Throws: as ``loadDataset(images:labels:classCount:)``, plus `badDimensions` (naming the test image
    ///   file) if its image size differs from the training images'.
    public static func loadSplit(
        trainImages: String, trainLabels: String, testImages: String, testLabels: String, classCount: Int? = nil
    ) throws(DatasetError) -> TrainTestSplit {
        let trainI = try readImages(at: trainImages)
        let trainL = try readLabels(at: trainLabels)
        let testI = try readImages(at: testImages)
        let testL = try readLabels(at: testLabels)
        guard trainI.rows == testI.rows, trainI.columns == testI.columns else {
            throw .badDimensions(
                file: testImages,
                reason: "test images are \(testI.rows)×\(testI.columns), training images (\(trainImages)) are "
                    + "\(trainI.rows)×\(trainI.columns)")
        }
        let classes = classCount ?? (Int(Swift.max(trainL.max() ?? 0, testL.max() ?? 0)) + 1)
        let train = try dataset(trainI, trainL, labelsPath: trainLabels, imagesPath: trainImages, classCount: classes)
        let test = try dataset(testI, testL, labelsPath: testLabels, imagesPath: testImages, classCount: classes)
        return try TrainTestSplit(train: train, test: test)
    }

    private static func dataset(
        _ images: Images, _ labels: [UInt8], labelsPath: String, imagesPath: String, classCount: Int?
    ) throws(DatasetError) -> Dataset {
        guard images.count == labels.count else {
            throw .countMismatch(
                file: labelsPath,
                reason: "\(labels.count) labels, but the image file \(imagesPath) holds \(images.count) images")
        }
        let classes = classCount ?? (Int(labels.max() ?? 0) + 1)
        guard classes >= 1 else { throw .invalidParameter(reason: "class count must be ≥ 1, got \(classes)") }
        var narrow = [Int32](repeating: 0, count: labels.count)
        for (i, l) in labels.enumerated() {
            guard Int(l) < classes else {
                throw .labelOutOfRange(file: labelsPath, index: i, label: Int(l), classCount: classes)
            }
            narrow[i] = Int32(l)
        }
        return Dataset(
            unchecked: scaledPixels(images.pixels), labels: narrow, featureCount: images.rows * images.columns,
            classCount: classes)
    }

    /// Encodes an IDX image file (uncompressed).
    /// - Throws: ``DatasetError/invalidShape(reason:)`` if `pixels.count != count·rows·columns`, a dimension is
    ///   zero or does not fit in 32 bits.
    public static func encodeImages(_ pixels: [UInt8], count: Int, rows: Int, columns: Int) throws(DatasetError)
        -> [UInt8]
    {
        guard count >= 1, rows >= 1, columns >= 1, count <= UInt32.max, rows <= UInt32.max, columns <= UInt32.max,
            pixels.count == count * rows * columns
        else {
            throw .invalidShape(reason: "\(pixels.count) pixels do not make \(count) images of \(rows)×\(columns)")
        }
        var out = [UInt8]()
        out.reserveCapacity(16 + pixels.count)
        appendBigEndian(imageMagic, to: &out)
        appendBigEndian(UInt32(count), to: &out)
        appendBigEndian(UInt32(rows), to: &out)
        appendBigEndian(UInt32(columns), to: &out)
        out.append(contentsOf: pixels)
        return out
    }

    /// Encodes an IDX label file (uncompressed).
    /// - Throws: ``DatasetError/invalidShape(reason:)`` if `labels` is empty or longer than 2³² − 1.
    public static func encodeLabels(_ labels: [UInt8]) throws(DatasetError) -> [UInt8] {
        guard !labels.isEmpty, labels.count <= UInt32.max else {
            throw .invalidShape(reason: "an IDX label file holds 1 … 2³² − 1 labels, got \(labels.count)")
        }
        var out = [UInt8]()
        out.reserveCapacity(8 + labels.count)
        appendBigEndian(labelMagic, to: &out)
        appendBigEndian(UInt32(labels.count), to: &out)
        out.append(contentsOf: labels)
        return out
    }
}

/// Pixel bytes → Float in [0, 1] (`Float(b) / 255`).
func scaledPixels(_ bytes: [UInt8]) -> [Float] {
    let table = (0..<256).map { Float($0) / 255 }
    return [Float](unsafeUninitializedCapacity: bytes.count) { out, initialised in
        table.withUnsafeBufferPointer { t in
            for i in 0..<bytes.count { out[i] = t[Int(bytes[i])] }
        }
        initialised = bytes.count
    }
}
