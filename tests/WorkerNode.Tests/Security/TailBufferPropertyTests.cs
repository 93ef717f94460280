using System.Text;
using WorkerNode.Execution;

namespace WorkerNode.Tests.Security;

/// <summary>
/// The tail is exactly the last N characters of the whole stream, decoded leniently, whatever the read
/// sizes and character widths: checked against a reference (decode everything, keep the last N scalars)
/// over random streams of 1–4 byte characters and invalid bytes, cut into random reads.
/// </summary>
public sealed class TailBufferPropertyTests
{
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 50)]
    [InlineData(3, 1_000)]
    [InlineData(4, 10_000)]
    public void TheTailMatchesTheReferenceForRandomStreamsAndReads(int seed, int maxCharacters)
    {
        var random = new Random(seed);
        for (var round = 0; round < (maxCharacters >= 10_000 ? 40 : 300); round++)
        {
            var stream = RandomStream(random, random.Next(0, maxCharacters * 9));
            var tail = new TailBuffer(maxCharacters);
            foreach (var read in RandomReads(random, stream, maxCharacters))
            {
                tail.Append(read);
            }

            var expected = Reference(stream, maxCharacters);
            var actual = tail.ToString();
            Assert.True(expected == actual, $"seed {seed}, round {round}, {stream.Length} bytes: the tail differs from the reference ({actual.Length} vs {expected.Length} UTF-16 units)");
        }
    }

    [Fact]
    public void OneLargeReadOfEmojiKeepsTheRealEndAfterThem()
    {
        // The case seen in server mode: a read of more than 10,000 characters holding non-BMP characters,
        // with the message that matters at its end.
        var text = string.Concat(Enumerable.Repeat("😀", 12_000)) + "ValueError: bad input\n";
        var tail = new TailBuffer();

        tail.Append(Encoding.UTF8.GetBytes("x"));
        tail.Append(Encoding.UTF8.GetBytes(text));

        Assert.Equal(Reference(Encoding.UTF8.GetBytes("x" + text), 10_000), tail.ToString());
        Assert.EndsWith("😀ValueError: bad input\n", tail.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExactlyTenThousandFourByteCharactersAreKeptWhateverTheAlignment()
    {
        for (var offset = 0; offset < 4; offset++)
        {
            var tail = new TailBuffer();
            tail.Append(new byte[offset].Select(_ => (byte)'a').ToArray());
            var emoji = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("𝄞", 10_500)));
            tail.Append(emoji);

            Assert.Equal(10_000, tail.ToString().EnumerateRunes().Count());
        }
    }

    private static string Reference(byte[] stream, int maxCharacters)
    {
        var runes = Lenient.GetString(stream).EnumerateRunes().ToArray();
        return string.Concat(runes.Skip(Math.Max(0, runes.Length - maxCharacters)).Select(rune => rune.ToString()));
    }

    private static byte[] RandomStream(Random random, int characters)
    {
        var bytes = new List<byte>(characters * 3);
        for (var i = 0; i < characters; i++)
        {
            switch (random.Next(10))
            {
                case 0:
                    // Invalid: a stray continuation byte, a lead byte alone, or bytes never valid in UTF-8.
                    bytes.Add((byte)random.Next(0x80, 0x100));
                    break;
                case 1:
                    // A multi-byte character cut short.
                    var cut = Encoding.UTF8.GetBytes(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    bytes.AddRange(cut.Take(random.Next(1, cut.Length)));
                    break;
                default:
                    var scalar = random.Next(4) switch
                    {
                        0 => random.Next(0x20, 0x80),
                        1 => random.Next(0x80, 0x800),
                        2 => RandomBmpAbove0800(random),
                        _ => random.Next(0x10000, 0x110000),
                    };
                    bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(scalar)));
                    break;
            }
        }

        return [.. bytes];
    }

    private static int RandomBmpAbove0800(Random random)
    {
        while (true)
        {
            var scalar = random.Next(0x800, 0x10000);
            if (scalar is < 0xD800 or > 0xDFFF)
            {
                return scalar;
            }
        }
    }

    private static IEnumerable<byte[]> RandomReads(Random random, byte[] stream, int maxCharacters)
    {
        var offset = 0;
        while (offset < stream.Length)
        {
            // Mostly small reads, sometimes one larger than the whole tail.
            var size = random.Next(5) == 0 ? random.Next(1, (maxCharacters * 6) + 10) : random.Next(1, 64);
            size = Math.Min(size, stream.Length - offset);
            yield return stream[offset..(offset + size)];
            offset += size;
        }
    }
}
