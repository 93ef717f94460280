using System.Text.Json.Serialization;

namespace WorkerNode.Reporting.Profiles;

/// <summary>Source-generated JSON for profile files: one compact object per line, no reflection at run time.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ProfileHeader))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
