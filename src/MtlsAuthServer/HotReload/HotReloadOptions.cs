using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.HotReload;

/// <summary>
/// Configuration section <c>HotReload</c>. Files are polled (content hash) rather than watched: change
/// notifications are unreliable for editors that write a temporary file and rename it, for network volumes, and
/// for Kubernetes secret mounts, which swap a <c>..data</c> symlink and never touch the file names we watch.
/// </summary>
public sealed class HotReloadOptions
{
    public const string Section = "HotReload";

    /// <summary>Off: material is read once at start-up, as before.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often watched files and the client registry are checked. A change is applied once it has been seen
    /// unchanged on two consecutive polls (so a writer updating certificate and key one after the other is not
    /// caught half-way): it takes effect within two intervals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00", ErrorMessage = "must be between 50 ms and 1 hour.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
