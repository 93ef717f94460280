using WorkerNode.Reporting.Profiles;

namespace WorkerNode.Reporting.WorkflowReport;

/// <summary>One task's figures as the report shows them, worked out once from its profile.</summary>
/// <param name="Profile">The profile.</param>
/// <param name="Template">What runs of the same kind share (for right-sizing): the header's template, else the name with its numbers as '#'.</param>
/// <param name="PeakMemoryBytes">The peak the memory limit is compared with: max PSS under memory_metric pss, else max RSS.</param>
/// <param name="CpuSeconds">User + system CPU of the whole tree.</param>
/// <param name="CpuEfficiency">CPU ÷ (wall × cores), cores being those requested, else 1; null for a task shorter than one tick of the CPU clock (<see cref="TaskSummary.CpuClockResolutionSeconds"/>).</param>
public sealed record TaskSummary(Profile Profile, string Template, long PeakMemoryBytes, double CpuSeconds, double? CpuEfficiency)
{
    /// <summary>
    /// What the CPU figures can resolve: Linux gives user space CPU times in clock ticks of 1/USER_HZ s, and USER_HZ
    /// (sysconf(_SC_CLK_TCK)) is 100 on every architecture. A task shorter than a tick may be charged a whole one
    /// (a 2.2 ms task showed 450 %), so below it the report shows no efficiency rather than a figure made of rounding.
    /// </summary>
    public const double CpuClockResolutionSeconds = 0.01;

    public ProfileHeader Header => Profile.Header;

    /// <summary>The efficiency as the table shows it: a whole percentage, or "-" when there is none.</summary>
    public string CpuEfficiencyText =>
        CpuEfficiency is { } efficiency ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{efficiency * 100:0}%") : "-";

    public static TaskSummary Of(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var header = profile.Header;
        var sampledPeak = 0L;
        foreach (var sample in profile.Samples)
        {
            sampledPeak = Math.Max(sampledPeak, header.MemoryMetric == "pss" && sample.PssBytes is { } pss ? pss : sample.RssBytes);
        }

        var peak = Math.Max(sampledPeak, header.MemoryMetric == "pss" ? header.MaxPssBytes ?? header.MaxRssBytes ?? 0 : header.MaxRssBytes ?? 0);
        var cpu = (header.CpuUserSeconds ?? 0) + (header.CpuSystemSeconds ?? 0);
        var cores = header.RequestedCores is > 0 and var requested ? requested : 1;
        double? efficiency = header.WallSeconds >= CpuClockResolutionSeconds ? cpu / (header.WallSeconds * cores) : null;
        return new TaskSummary(profile, header.Template ?? TemplateOf(header.Task), peak, cpu, efficiency);
    }

    /// <summary>"fit_seed_3" → "fit_seed_#": runs of a template usually differ only in their numbers.</summary>
    public static string TemplateOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new System.Text.StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsAsciiDigit(name[i]))
            {
                if (builder.Length == 0 || builder[^1] != '#')
                {
                    builder.Append('#');
                }

                continue;
            }

            builder.Append(name[i]);
        }

        return builder.ToString();
    }
}
