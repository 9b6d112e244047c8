using System.Net;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Observability;

/// <summary>
/// A token server on a fake clock whose material expires at known instants after <see cref="Start"/>: server
/// certificate +10 days, self-signed client "robot" +45 days, issuing-CA CRL +3 days, root CRL +7 days (Offline
/// revocation with CRL files), root and issuing CA as minted by <see cref="TestPki"/>.
/// </summary>
public sealed class KnownDatesServer : IDisposable
{
    public static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(10);
    public static readonly TimeSpan RobotLifetime = TimeSpan.FromDays(45);
    public static readonly TimeSpan IssuingCrlLifetime = TimeSpan.FromDays(3);
    public static readonly TimeSpan RootCrlLifetime = TimeSpan.FromDays(7);

    private KnownDatesServer(DateTimeOffset start, Action<TokenServerSettings>? configure)
    {
        Start = start;
        Clock = new FakeTimeProvider(start);
        Pki = TestPki.Create();

        // The client side of every test connection checks the server certificate with the real clock: the fake
        // one starts at the real "now" so the certificate is valid for both.
        using (var server = Pki.Issuing.Issue(CertificateProfile.ForServer(
            "CN=localhost", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback], start.AddDays(-1), start + ServerLifetime)))
        {
            PemFiles.WriteCertificates(Pki.ServerCertificatePath, server, Pki.Issuing.Certificate);
            PemFiles.WritePrivateKey(Pki.ServerKeyPath, server);
            ServerThumbprint = OAuth.Thumbprint(server);
        }

        Robot = SelfSignedCertificate.Create(CertificateProfile.ForClient("CN=robot", start.AddDays(-1), start + RobotLifetime));
        var robotPath = Path.Combine(Pki.Folder, "robot.crt");
        PemFiles.WriteCertificates(robotPath, Robot);

        IssuingCrlPath = Path.Combine(Pki.Folder, "issuing.crl");
        RootCrlPath = Path.Combine(Pki.Folder, "root.crl");
        PemFiles.WritePublic(IssuingCrlPath, Pki.Issuing.CreateCrl([], BigInteger.One, start.AddHours(-1), start + IssuingCrlLifetime));
        PemFiles.WritePublic(RootCrlPath, Pki.Root.CreateCrl([], BigInteger.One, start.AddHours(-1), start + RootCrlLifetime));

        Host = TokenServerHost.Start(Pki, settings =>
        {
            settings.TimeProvider = Clock;
            settings["Revocation:Mode"] = "Offline";
            settings["Revocation:CrlFiles:0"] = IssuingCrlPath;
            settings["Revocation:CrlFiles:1"] = RootCrlPath;
            settings.AddSelfSignedClient("robot", robotPath);
            configure?.Invoke(settings);
        });
    }

    /// <summary>The fake clock's starting instant (whole seconds, like certificate dates).</summary>
    public DateTimeOffset Start { get; }

    public FakeTimeProvider Clock { get; }

    public TestPki Pki { get; }

    public TokenServerHost Host { get; }

    public X509Certificate2 Robot { get; }

    public string ServerThumbprint { get; }

    public string IssuingCrlPath { get; }

    public string RootCrlPath { get; }

    public static KnownDatesServer Create(Action<TokenServerSettings>? configure = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new KnownDatesServer(new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero), configure);
    }

    /// <summary>Seconds from the fake clock's current time to <paramref name="instant"/>.</summary>
    public double SecondsUntil(DateTimeOffset instant) => (instant - Clock.GetUtcNow()).TotalSeconds;

    public void Dispose()
    {
        Host.Dispose();
        Robot.Dispose();
        Pki.Dispose();
    }
}
