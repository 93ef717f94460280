namespace WorkerNode.Monitoring;

/// <summary>
/// Keeps the samples of one task as a time series in memory, with a fixed bound: when <see cref="Capacity"/> rows
/// are held, neighbouring rows are merged pairwise (each keeping its interval's peaks, see
/// <see cref="ProfileSample.Merge"/>) and every later row covers twice as many samples. A task of any length thus
/// holds between Capacity / 2 and Capacity rows; nothing is written until the task ends (see
/// <c>Reporting.Profiles.ProfileWriter</c>).
/// </summary>
/// <remarks>
/// The sampling thread adds, another thread reads the rows once the task has ended (or while the sampler is stuck
/// in /proc): a lock, uncontended once a second, keeps the two apart. The rows grow by doubling, so a short task
/// costs a few rows, never the whole bound: at most <see cref="Capacity"/> × 80 bytes (320 KiB by default).
/// </remarks>
public sealed class ProfileRecorder
{
    /// <summary>Enough to keep every sample of a one-hour task at one sample a second.</summary>
    public const int DefaultCapacity = 4096;

    private readonly Lock _gate = new();
    private ProfileSample[] _rows;
    private int _count;
    private int _samplesPerRow = 1;
    private ProfileSample _pending;
    private int _pendingSamples;
    private int _samples;
    private double _lastSeconds;
    private double _lastCpuSeconds;

    /// <param name="capacity">Rows kept at most; an even number of at least 2.</param>
    public ProfileRecorder(int capacity = DefaultCapacity)
    {
        if (capacity < 2 || capacity % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "the capacity must be an even number of at least 2");
        }

        Capacity = capacity;
        _rows = new ProfileSample[Math.Min(16, capacity)];
    }

    public int Capacity { get; }

    /// <summary>Samples added so far.</summary>
    public int Samples
    {
        get
        {
            lock (_gate)
            {
                return _samples;
            }
        }
    }

    /// <summary>How many samples each full row covers now (1 until the first merge, then 2, 4, ...).</summary>
    public int SamplesPerRow
    {
        get
        {
            lock (_gate)
            {
                return _samplesPerRow;
            }
        }
    }

    /// <summary>Adds one sample of the tree.</summary>
    /// <param name="elapsed">Time since the command started.</param>
    /// <param name="rssBytes">The tree's RSS now.</param>
    /// <param name="pssBytes">The tree's PSS now, when measured.</param>
    /// <param name="cgroupBytes">The cgroup's usage now, when read.</param>
    /// <param name="cpu">The tree's CPU time so far (user + system, reaped children included).</param>
    /// <param name="processes">Live processes in the tree now.</param>
    /// <param name="readBytes">Bytes read from storage so far.</param>
    /// <param name="writeBytes">Bytes written to storage so far.</param>
    public void Add(TimeSpan elapsed, long rssBytes, long? pssBytes, long? cgroupBytes, TimeSpan cpu, int processes, long readBytes, long writeBytes)
    {
        lock (_gate)
        {
            var seconds = elapsed.TotalSeconds;
            var span = seconds - _lastSeconds;
            var cpuSeconds = cpu.TotalSeconds;
            // CPU since the previous sample (or since the start); a clock that did not move gives 0, not infinity.
            var percent = span > 0 ? Math.Max(0, cpuSeconds - _lastCpuSeconds) / span * 100 : 0;
            _lastSeconds = seconds;
            _lastCpuSeconds = Math.Max(_lastCpuSeconds, cpuSeconds);
            _samples++;

            var sample = new ProfileSample(seconds, rssBytes, pssBytes, cgroupBytes, percent, processes, readBytes, writeBytes);
            _pending = _pendingSamples == 0 ? sample : ProfileSample.Merge(_pending, sample);
            if (++_pendingSamples < _samplesPerRow)
            {
                return;
            }

            Append(_pending);
            _pendingSamples = 0;
        }
    }

    /// <summary>The rows so far, the partial interval at the end included.</summary>
    public ProfileSample[] Rows()
    {
        lock (_gate)
        {
            var rows = new ProfileSample[_count + (_pendingSamples > 0 ? 1 : 0)];
            Array.Copy(_rows, rows, _count);
            if (_pendingSamples > 0)
            {
                rows[^1] = _pending;
            }

            return rows;
        }
    }

    private void Append(ProfileSample row)
    {
        if (_count == Capacity)
        {
            for (var i = 0; i < _count / 2; i++)
            {
                _rows[i] = ProfileSample.Merge(_rows[2 * i], _rows[(2 * i) + 1]);
            }

            _count /= 2;
            _samplesPerRow *= 2;
        }

        if (_count == _rows.Length)
        {
            Array.Resize(ref _rows, Math.Min(Capacity, _rows.Length * 2));
        }

        _rows[_count++] = row;
    }
}
