using Microsoft.EntityFrameworkCore;

namespace MtlsAuthServer.Data;

/// <summary>
/// Holds OpenIddict's applications, scopes, authorizations and tokens (its EF Core entities) and the client
/// certificates seen at authentication, and the management records of clients registered at run time. Abstract: each provider has its own derived context, so each has its own
/// migration set (EF Core's "multiple context types" approach to migrations with several providers). Everything
/// else asks for this type.
/// </summary>
public abstract class AuthServerDbContext(DbContextOptions options) : DbContext(options)
{
    public const string SightingsTable = "ClientCertificateSightings";
    public const string DynamicRegistrationsTable = "DynamicClientRegistrations";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<ClientCertificateSighting>(sighting =>
        {
            sighting.ToTable(SightingsTable);
            sighting.HasKey(s => new { s.ClientId, s.Thumbprint });
            sighting.Property(s => s.ClientId).HasMaxLength(ClientCertificateSighting.MaxClientIdLength);
            sighting.Property(s => s.Thumbprint).HasMaxLength(ClientCertificateSighting.ThumbprintLength);
            sighting.Property(s => s.Subject).HasMaxLength(ClientCertificateSighting.MaxSubjectLength);
            sighting.Property(s => s.SerialNumber).HasMaxLength(ClientCertificateSighting.MaxSerialNumberLength);
        });
        modelBuilder.Entity<DynamicClientRegistration>(registration =>
        {
            registration.ToTable(DynamicRegistrationsTable);
            registration.HasKey(r => r.ClientId);
            registration.Property(r => r.ClientId).HasMaxLength(DynamicClientRegistration.MaxClientIdLength);
            registration.Property(r => r.RegistrationAccessTokenHash).HasMaxLength(DynamicClientRegistration.TokenHashLength);
            registration.Property(r => r.RegisteredBy).HasMaxLength(DynamicClientRegistration.MaxRegisteredByLength);
        });
    }
}
