using Microsoft.EntityFrameworkCore;

namespace MtlsAuthServer.Data;

/// <summary>Holds OpenIddict's applications, scopes, authorizations and tokens (its EF Core entities).</summary>
public sealed class AuthServerDbContext(DbContextOptions<AuthServerDbContext> options) : DbContext(options);
