namespace WorkerNode.Lifecycle;

/// <summary>What <c>worker-node report</c> was asked to do.</summary>
/// <param name="Inputs">Profile files and directories holding them.</param>
/// <param name="HtmlFile">Where to write the HTML page; null for none.</param>
/// <param name="CsvFile">Where to write every sample as CSV ("-" for stdout); null for none.</param>
public sealed record ReportOptions(IReadOnlyList<string> Inputs, string? HtmlFile, string? CsvFile);
