using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>CRLs read from local files (<see cref="RevocationMode.Offline"/>); a file is re-read when its timestamp changes.</summary>
public sealed class OfflineCrlStore(IOptionsMonitor<RevocationOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Dictionary<string, (DateTime Modified, CertificateRevocationList? Crl, string? Error)> _files = new(StringComparer.Ordinal);
    private DateTimeOffset _lastScan = DateTimeOffset.MinValue;

    public (CertificateRevocationList? Crl, string Detail) Find(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var files = Refresh();
        var errors = new List<string>();
        foreach (var (path, file) in files)
        {
            if (file.Crl is null)
            {
                errors.Add($"{Path.GetFileName(path)}: {file.Error}");
                continue;
            }

            if (file.Crl.IsAuthoritativeFor(certificate, issuer, out _))
            {
                var now = time.GetUtcNow();
                return file.Crl.NextUpdate is { } next && now > next
                    ? (null, $"{Path.GetFileName(path)} expired at {next:O}")
                    : (file.Crl, Path.GetFileName(path));
            }
        }

        return (null, errors.Count > 0 ? string.Join("; ", errors) : "no configured CRL file covers this issuer");
    }

    /// <summary>The configured files and what each holds now (null when unreadable), for expiry monitoring.</summary>
    public IEnumerable<(string Path, CertificateRevocationList? Crl)> Known =>
        Refresh().Select(pair => (pair.Key, pair.Value.Crl)).ToList();

    private Dictionary<string, (DateTime Modified, CertificateRevocationList? Crl, string? Error)> Refresh()
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
            var next = new Dictionary<string, (DateTime, CertificateRevocationList?, string?)>(StringComparer.Ordinal);
            foreach (var path in options.CurrentValue.CrlFiles)
            {
                var modified = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
                if (_files.TryGetValue(path, out var known) && known.Modified == modified)
                {
                    next[path] = known;
                    continue;
                }

                next[path] = Load(path, modified);
            }

            _files = next;
            return _files;
        }
    }

    private static (DateTime, CertificateRevocationList?, string?) Load(string path, DateTime modified)
    {
        try
        {
            return (modified, CertificateRevocationList.Parse(File.ReadAllBytes(path)), null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return (modified, null, exception.Message);
        }
    }
}
