using WorkerNode.Interop;

namespace WorkerNode.Monitoring;

/// <summary>
/// What the kernel accounts for the processes the worker has reaped, and transitively for the descendants they
/// reaped: getrusage(RUSAGE_CHILDREN) since the command started. Exact for every process that was waited for,
/// however short its life.
/// </summary>
/// <param name="User">User CPU time.</param>
/// <param name="System">System CPU time.</param>
/// <param name="MaxRssBytes">The largest peak RSS of any one of them (not a sum).</param>
/// <param name="ReadBytes">Bytes read from storage (the kernel counts 512-byte blocks).</param>
/// <param name="WriteBytes">Bytes written to storage, counted when the pages were dirtied.</param>
internal readonly record struct ReapedUsage(TimeSpan User, TimeSpan System, long MaxRssBytes, long ReadBytes, long WriteBytes)
{
    private const long BlockBytes = 512;

    /// <summary>The usage gathered between <paramref name="baseline"/> and <paramref name="now"/>.</summary>
    /// <param name="baseline">getrusage(RUSAGE_CHILDREN) before the command started.</param>
    /// <param name="now">getrusage(RUSAGE_CHILDREN) now.</param>
    /// <param name="workerPeakAtSpawn">
    /// The worker's own peak RSS once it had started the command. posix_spawn shares the worker's memory until
    /// exec, and exec charges that memory's peak to the child's ru_maxrss, so a kernel peak up to this figure may
    /// be the worker's and is left out (the samples still see the command's real size). A peak cannot be
    /// subtracted like the other figures.
    /// </param>
    public static ReapedUsage Since(Rusage baseline, Rusage now, long workerPeakAtSpawn)
    {
        var peak = now.MaxRssKiB * 1024;
        return new ReapedUsage(
            now.UserTime - baseline.UserTime,
            now.SystemTime - baseline.SystemTime,
            peak > workerPeakAtSpawn ? peak : 0,
            (now.BlocksIn - baseline.BlocksIn) * BlockBytes,
            (now.BlocksOut - baseline.BlocksOut) * BlockBytes);
    }
}
