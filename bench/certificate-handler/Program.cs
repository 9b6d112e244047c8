// Per-request cost of certificate authentication, in one process and one run, each variant measured in turns
// (3 rounds, median): the machine is shared, so read the ratios, not the absolute figures.
//   handler+cache  the resource API's scheme as registered (AddCallerCertificateAuthentication: verdict cached)
//   handler        the same handler without a cache: one chain build per request, plus our rules' path build
//   chain          one offline X509Chain.Build with the API's policy (what a validator pays per uncached request)
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ResourceApi.Certificates;

var folder = Directory.CreateTempSubdirectory("cert-handler-bench-").FullName;
using var root = Ca("CN=Bench Root", null);
using var issuing = Ca("CN=Bench Issuing", root);
using var leaf = Leaf(issuing);
PemFiles.WriteCertificates(Path.Combine(folder, "root.pem"), root);
PemFiles.WriteCertificates(Path.Combine(folder, "int.pem"), issuing);

IServiceProvider Services(bool cached)
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = folder });
    builder.Logging.ClearProviders();
    builder.Configuration["TrustAnchors:Path"] = Path.Combine(folder, "root.pem");
    builder.Configuration["TrustAnchors:IntermediatesPath"] = Path.Combine(folder, "int.pem");
    builder.AddCallerCertificateAuthentication();
    if (!cached)
    {
        builder.Services.RemoveAll<ICertificateValidationCache>();
    }

    return builder.Build().Services;
}

var withCache = Services(cached: true);
var withoutCache = Services(cached: false);
var anchors = withCache.GetRequiredService<TrustAnchors>();

async Task Authenticate(IServiceProvider services)
{
    using var scope = services.CreateScope();
    var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
    context.Request.Scheme = "https";
    context.Connection.ClientCertificate = leaf;
    var result = await context.AuthenticateAsync(CallerCertificateRegistration.Scheme);
    if (!result.Succeeded)
    {
        throw new InvalidOperationException("the benchmark certificate was refused: " + result.Failure?.Message);
    }
}

Task Chain()
{
    using var chain = new X509Chain { ChainPolicy = anchors.CreatePolicy(Oids.ClientAuthentication) };
    if (!chain.Build(leaf))
    {
        throw new InvalidOperationException("the benchmark chain does not build");
    }

    foreach (var element in chain.ChainElements)
    {
        if (!ReferenceEquals(element.Certificate, leaf))
        {
            element.Certificate.Dispose();
        }
    }

    return Task.CompletedTask;
}

var variants = new (string Name, Func<Task> Run)[]
{
    ("handler+cache", () => Authenticate(withCache)),
    ("handler", () => Authenticate(withoutCache)),
    ("chain", Chain),
};
var rounds = variants.ToDictionary(v => v.Name, _ => new List<double>());
const int Iterations = 3000;
foreach (var (_, run) in variants)
{
    for (var i = 0; i < 500; i++)
    {
        await run(); // warm-up: tiered JIT
    }
}

for (var round = 0; round < 3; round++)
{
    foreach (var (name, run) in variants)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            await run();
        }

        rounds[name].Add(clock.Elapsed.TotalMicroseconds / Iterations);
    }
}

var chainMedian = rounds["chain"].Order().ElementAt(1);
Console.WriteLine($"{Environment.ProcessorCount} CPUs, {Iterations} calls x 3 rounds, median µs per call (ratio to one chain build):");
foreach (var (name, _) in variants)
{
    var median = rounds[name].Order().ElementAt(1);
    Console.WriteLine($"  {name,-14} {median,8:F1} µs  ({median / chainMedian:F2}x)   rounds: {string.Join(" / ", rounds[name].Select(r => r.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}");
}

Directory.Delete(folder, recursive: true);

static X509Certificate2 Ca(string name, X509Certificate2? issuer)
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
    request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
    request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
    request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    if (issuer is null)
    {
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
    using var certificate = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(20), [0x02]);
    return certificate.CopyWithPrivateKey(key);
}

static X509Certificate2 Leaf(X509Certificate2 issuer)
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest("CN=client1", key, HashAlgorithmName.SHA256);
    request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
    request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(Oids.ClientAuthentication)], false));
    request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
    return request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [0x03]);
}
