namespace WorkerNode.IntegrationTests.Security;

/// <summary>A fact that needs root (to give files to another user with chown); skipped, saying so, when not root. CI runs as root.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root: files of another user are made with chown";
        }
    }
}
