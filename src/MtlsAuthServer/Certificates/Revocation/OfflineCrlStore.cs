using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// CRLs read from the files of <see cref="RevocationOptions.CrlFiles"/>; a file is re-read when its timestamp or size
/// changes, and each load or refusal is logged once (events 4014/4015). Whatever a file holds, a lookup answers
/// with a CRL or a reason, never an exception. A replacement older than the CRL it replaces is refused as a rollback.
/// </summary>
public sealed class OfflineCrlStore(IOptionsMonitor<RevocationOptions> options, TimeProvider time, RevocationEvents events)
{
    private readonly Lock _gate = new();
    private Dictionary<string, LoadedFile> _files = new(StringComparer.Ordinal);
    private DateTimeOffset _lastScan = DateTimeOffset.MinValue;

    /// <summary>Whether any CRL file is configured.</summary>
    public bool HasFiles => options.CurrentValue.CrlFiles.Count > 0;

    public (CertificateRevocationList? Crl, string Detail) Find(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var files = Refresh();
        var problems = new List<string>();
        var now = time.GetUtcNow();
        foreach (var (path, file) in files)
        {
            var name = Path.GetFileName(path);
            if (file.Crl is not { } crl)
            {
                problems.Add($"{name}: {file.Error}");
                continue;
            }

            if (!crl.Covers(certificate, out var notCovered))
            {
                // Another CA's or another partition's CRL: not a problem of this file, unless nothing else covers the certificate.
                problems.Add($"{name}: {notCovered}");
                continue;
            }

            if (!crl.Authenticate(issuer, out var reason))
            {
                problems.Add($"{name}: {reason}");
                continue;
            }

            return RevocationFreshness.IsCurrent(crl, now, options.CurrentValue, maxAge: null, out var why)
                ? (crl, name)
                : (null, $"{name} is not current: {why}");
        }

        return (null, files.Count == 0 ? "no CRL file is configured (Revocation:CrlFiles)" : "no configured CRL file covers this certificate: " + string.Join("; ", problems));
    }

    /// <summary>The configured files and what each holds now (null when unreadable), for expiry monitoring.</summary>
    public IEnumerable<(string Path, CertificateRevocationList? Crl)> Known =>
        Refresh().Select(pair => (pair.Key, pair.Value.Crl)).ToList();

    private Dictionary<string, LoadedFile> Refresh()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            // Stat the files at most once a second: cheap enough to notice a replaced CRL quickly.
            if (now - _lastScan < TimeSpan.FromSeconds(1))
            {
                return _files;
            }

            _lastScan = now;
            var next = new Dictionary<string, LoadedFile>(StringComparer.Ordinal);
            foreach (var path in options.CurrentValue.CrlFiles)
            {
                var stamp = FileStamp.Of(path);
                if (_files.TryGetValue(path, out var known) && known.Stamp == stamp)
                {
                    next[path] = known;
                    continue;
                }

                next[path] = Load(path, stamp, known);
            }

            _files = next;
            return _files;
        }
    }

    private LoadedFile Load(string path, FileStamp stamp, LoadedFile? previous)
    {
        string failure;
        try
        {
            if (stamp.Length > options.CurrentValue.MaxCrlBytes)
            {
                throw new InvalidDataException($"the file is larger than Revocation:MaxCrlBytes ({options.CurrentValue.MaxCrlBytes})");
            }

            var crl = CertificateRevocationList.Parse(File.ReadAllBytes(path));
            if (previous?.Crl is { } held && held.ScopeKey == crl.ScopeKey && crl.IsOlderThan(held))
            {
                events.RollbackRefused(RevocationSourceKind.Crl, path, crl.Describe(), held.Describe());
                return previous with { Stamp = stamp };
            }

            events.CrlFileLoaded(path, $"{crl.Describe()}, {crl.RevokedCount} revoked, issuer {crl.Issuer}");
            return new LoadedFile(stamp, crl, null);
        }
        catch (Exception exception)
        {
            // Missing, unreadable, oversized, garbage: the file answers "unknown" for what it would cover, and says why once.
            failure = exception is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : RevocationFetchFailure.Describe(exception);
        }

        events.CrlFileRejected(path, failure);
        return new LoadedFile(stamp, null, failure);
    }

    private sealed record LoadedFile(FileStamp Stamp, CertificateRevocationList? Crl, string? Error);

    private readonly record struct FileStamp(DateTime Modified, long Length)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : new FileStamp(DateTime.MinValue, -1);
        }
    }
}
