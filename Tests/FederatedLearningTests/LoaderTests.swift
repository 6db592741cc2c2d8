import FederatedLearning
import Foundation
import Testing

/// Three 2×3 images with pixel values 0, 1, …, 17 and labels 2, 0, 1.
private let pixels: [UInt8] = (0..<18).map { UInt8($0 * 15) }
private let labels: [UInt8] = [2, 0, 1]

private func imageFile() throws -> [UInt8] { try IDX.encodeImages(pixels, count: 3, rows: 2, columns: 3) }
private func labelFile(_ l: [UInt8] = labels) throws -> [UInt8] { try IDX.encodeLabels(l) }

@Suite struct IDXRoundTripTests {
    @Test func plainFilesLoadBackExactly() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let i = try dir.write("images", imageFile())
        let l = try dir.write("labels", labelFile())
        let d = try IDX.loadDataset(images: i, labels: l)
        #expect(d.count == 3)
        #expect(d.featureCount == 6)
        #expect(d.classCount == 3)
        #expect(d.labels == [2, 0, 1])
        let scaled = pixels.map { Float($0) / 255 }
        #expect(d.features == scaled)
    }

    @Test func gzipFilesLoadBackExactly() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let i = try dir.writeGzip("images.gz", imageFile())
        let l = try dir.writeGzip("labels.gz", labelFile())
        let d = try IDX.loadDataset(images: i, labels: l, classCount: 10)
        #expect(d.classCount == 10)
        #expect(d.labels == [2, 0, 1])
        let scaled = pixels.map { Float($0) / 255 }
        #expect(d.features == scaled)
    }

    @Test func rawReadersReturnHeaderFields() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let images = try IDX.readImages(at: dir.writeGzip("i.gz", imageFile()))
        #expect(images.count == 3)
        #expect(images.rows == 2)
        #expect(images.columns == 3)
        #expect(images.pixels == pixels)
    }

    @Test func splitLoadsFourFilesWithSharedClassCount() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let split = try IDX.loadSplit(
            trainImages: dir.write("a", imageFile()), trainLabels: dir.write("b", labelFile()),
            testImages: dir.write("c", imageFile()), testLabels: dir.write("d", labelFile([7, 0, 0])))
        #expect(split.train.classCount == 8)
        #expect(split.test.classCount == 8)
    }

    @Test func digitsSetHasExpectedShape() throws {
        let digits = try loadDigits()
        #expect(digits.train.count == 1_438)
        #expect(digits.test.count == 359)
        #expect(digits.train.featureCount == 64)
        #expect(digits.train.classCount == 10)
    }
}

@Suite struct IDXBadInputTests {
    @Test func missingFileIsNamed() {
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: "/nonexistent/train-images") }
        #expect(error == .fileNotFound(file: "/nonexistent/train-images"))
    }

    @Test func directoryIsUnreadable() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: dir.url.path) }
        #expect(error?.isUnreadable == true)
    }

    @Test func emptyFileIsTruncated() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.write("empty", [])
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: p) }
        #expect(error?.isTruncated == true)
        #expect(error?.file == p)
    }

    @Test func labelFileGivenAsImagesHasWrongMagic() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.write("labels", labelFile())
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: p) }
        #expect(error == .badMagic(file: p, expected: 0x803, found: 0x801))
    }

    @Test func imageFileGivenAsLabelsHasWrongMagic() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.writeGzip("images.gz", imageFile())
        let error = datasetError { () throws(DatasetError) in try IDX.readLabels(at: p) }
        #expect(error == .badMagic(file: p, expected: 0x801, found: 0x803))
    }

    @Test func truncatedHeaderIsRejected() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.write("short", Array(try imageFile().prefix(10)))
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: p) }
        #expect(error?.isTruncated == true)
    }

    @Test func truncatedPixelsAreRejected() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.write("short", Array(try imageFile().dropLast()))
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: p) }
        #expect(error?.isTruncated == true)
    }

    @Test func truncatedGzipPayloadIsRejected() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.writeGzip("short.gz", Array(try imageFile().dropLast(5)))
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: p) }
        #expect(error?.isTruncated == true)
    }

    @Test func gzipStreamCutShortIsRejected() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let full = try dir.writeGzip("full.gz", imageFile())
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: full)))
        let p = try dir.write("cut.gz", Array(bytes.prefix(bytes.count / 2)))
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: p) }
        #expect(error?.isTruncated == true)
    }

    @Test func corruptGzipIsRejected() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        // A gzip header followed by bytes that are not a deflate stream.
        let p = try dir.write("bad.gz", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + [UInt8](repeating: 0xFF, count: 40))
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: p) }
        #expect(error?.isCorruptCompression == true)
    }

    @Test func labelsTooLongForHeaderAreRejected() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.write("labels", try labelFile() + [0])
        let error = datasetError { () throws(DatasetError) in try IDX.readLabels(at: p) }
        #expect(error?.isTrailingBytes == true)
    }

    @Test func zeroRowsIsBadDimensions() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.write("images", [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5])
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: p) }
        #expect(error?.isBadDimensions == true)
    }

    @Test func hugeDeclaredSizeOnShortFileIsRejectedWithoutAllocating() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        // 0xFFFFFFFF images of 0xFFFF × 0xFFFF: over the limit, rejected before reading.
        let p = try dir.write("images", [0, 0, 8, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF])
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: p) }
        #expect(error?.isBadDimensions == true)
        // 65,536 images of 256 × 256 (within the limit) but no pixel data: truncated.
        let q = try dir.write("images2", [0, 0, 8, 3, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0])
        let error2 = datasetError { () throws(DatasetError) in try IDX.readImages(at: q) }
        #expect(error2?.isTruncated == true)
    }

    @Test func mismatchedImageAndLabelCountsAreRejected() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let i = try dir.write("images", imageFile())
        let l = try dir.write("labels", labelFile([1, 2]))
        let error = datasetError { () throws(DatasetError) in try IDX.loadDataset(images: i, labels: l) }
        #expect(error?.isCountMismatch == true)
        #expect(error?.file == l)
    }

    @Test func labelAtOrAboveClassCountIsOutOfRange() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let i = try dir.write("images", imageFile())
        let l = try dir.write("labels", labelFile([1, 10, 2]))
        let error = datasetError { () throws(DatasetError) in
            try IDX.loadDataset(images: i, labels: l, classCount: 10)
        }
        #expect(error == .labelOutOfRange(file: l, index: 1, label: 10, classCount: 10))
    }

    @Test func trainAndTestImageSizesMustMatch() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let other = try IDX.encodeImages(pixels, count: 3, rows: 3, columns: 2)
        let testImages = try dir.write("c", other)
        let a = try dir.write("a", imageFile())
        let b = try dir.write("b", labelFile())
        let d = try dir.write("d", labelFile())
        let error = datasetError { () throws(DatasetError) in
            try IDX.loadSplit(trainImages: a, trainLabels: b, testImages: testImages, testLabels: d)
        }
        #expect(error?.isBadDimensions == true)
        #expect(error?.file == testImages)
    }

    @Test func errorMessageNamesFileAndProblem() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.write("labels", labelFile())
        let error = datasetError { () throws(DatasetError) in try IDX.readImages(at: p) }
        let message = error?.description ?? ""
        #expect(message.hasPrefix(p))
        #expect(message.contains("wrong magic"))
    }
}

/// `count` CIFAR records: label `labels[r]`, pixels `(r + i) mod 256`.
private func cifarBytes(_ labels: [UInt8]) -> [UInt8] {
    var out = [UInt8]()
    for (r, l) in labels.enumerated() {
        out.append(l)
        out.append(contentsOf: (0..<3_072).map { UInt8((r + $0) % 256) })
    }
    return out
}

@Suite struct CIFAR10LoaderTests {
    @Test func batchLoadsLabelsAndScaledPixels() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let d = try CIFAR10.loadBatch(at: dir.write("data_batch_1.bin", cifarBytes([3, 9, 0])))
        #expect(d.count == 3)
        #expect(d.featureCount == 3_072)
        #expect(d.classCount == 10)
        #expect(d.labels == [3, 9, 0])
        #expect(d.features[3_072 + 5] == Float(6) / 255)
    }

    @Test func directoryLoadsAllTrainingBatchesAndTestBatch() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data_batch_1.bin", cifarBytes([1, 2]))
        try dir.writeGzip("data_batch_2.bin", cifarBytes([3]))
        try dir.write("test_batch.bin", cifarBytes([4, 5, 6]))
        let split = try CIFAR10.load(directory: dir.url.path)
        #expect(split.train.labels == [1, 2, 3])
        #expect(split.test.labels == [4, 5, 6])
    }

    @Test func missingTestBatchIsNamed() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data_batch_1.bin", cifarBytes([1]))
        let error = datasetError { () throws(DatasetError) in try CIFAR10.load(directory: dir.url.path) }
        #expect(error == .fileNotFound(file: dir.path("test_batch.bin")))
    }

    @Test func partialRecordIsTruncated() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.write("b.bin", Array(cifarBytes([1, 2]).dropLast(100)))
        let error = datasetError { () throws(DatasetError) in try CIFAR10.loadBatch(at: p) }
        #expect(error?.isTruncated == true)
    }

    @Test func emptyBatchIsTruncated() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.write("b.bin", [])
        let error = datasetError { () throws(DatasetError) in try CIFAR10.loadBatch(at: p) }
        #expect(error?.isTruncated == true)
    }

    @Test func labelTenIsOutOfRange() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let p = try dir.write("b.bin", cifarBytes([1, 10]))
        let error = datasetError { () throws(DatasetError) in try CIFAR10.loadBatch(at: p) }
        #expect(error == .labelOutOfRange(file: p, index: 1, label: 10, classCount: 10))
    }
}
