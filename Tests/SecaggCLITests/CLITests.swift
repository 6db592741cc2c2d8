import Testing

@Suite struct CLITests {
    @Test func placeholderFree() { #expect(1 + 1 == 2) }
}
