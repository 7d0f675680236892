namespace MediaRelay.WebRtc.Tests.Fuzz;

/// <summary>Seeded generator of random and mutated datagrams (deterministic per seed).</summary>
internal sealed class DatagramMutator(int seed)
{
    private readonly Random _random = new(seed);

    public byte[] RandomBytes(int maxLength = 300)
    {
        byte[] bytes = new byte[_random.Next(0, maxLength)];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Random bytes whose first byte falls in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public byte[] RandomWithFirstByte(int low, int high, int maxLength = 300)
    {
        byte[] bytes = new byte[_random.Next(1, maxLength)];
        _random.NextBytes(bytes);
        bytes[0] = (byte)_random.Next(low, high + 1);
        return bytes;
    }

    /// <summary>One of: bit flips, byte overwrite, truncation, extension, or a length-field-sized splice.</summary>
    public byte[] Mutate(byte[] valid)
    {
        byte[] copy = valid.ToArray();
        switch (_random.Next(5))
        {
            case 0:
                for (int i = 0, n = _random.Next(1, 4); i < n && copy.Length > 0; i++)
                {
                    copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return copy;
            case 1:
                if (copy.Length > 0)
                {
                    copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
                }

                return copy;
            case 2:
                return copy[.._random.Next(copy.Length + 1)];
            case 3:
                byte[] longer = new byte[copy.Length + _random.Next(1, 40)];
                copy.CopyTo(longer, 0);
                _random.NextBytes(longer.AsSpan(copy.Length));
                return longer;
            default:
                if (copy.Length > 4)
                {
                    int at = _random.Next(copy.Length - 2);
                    copy[at] = 0xFF;
                    copy[at + 1] = 0xFF;
                }

                return copy;
        }
    }

    public int Next(int max) => _random.Next(max);
}
