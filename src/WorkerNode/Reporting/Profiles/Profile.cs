using WorkerNode.Monitoring;

namespace WorkerNode.Reporting.Profiles;

/// <summary>A task's profile as read from its file: the header and the samples in time order.</summary>
/// <param name="Path">The file it was read from.</param>
/// <param name="Header">The first line.</param>
/// <param name="Samples">The sample rows.</param>
public sealed record Profile(string Path, ProfileHeader Header, IReadOnlyList<ProfileSample> Samples);
