using Microsoft.EntityFrameworkCore;

namespace MtlsAuthServer.Data;

/// <summary>
/// Holds OpenIddict's applications, scopes, authorizations and tokens (its EF Core entities). Abstract: each
/// provider has its own derived context, so each has its own migration set (EF Core's "multiple context types"
/// approach to migrations with several providers). Everything else asks for this type.
/// </summary>
public abstract class AuthServerDbContext(DbContextOptions options) : DbContext(options);
