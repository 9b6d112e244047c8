using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.Clients;

/// <summary>
/// Configuration section <c>ClientRegistry</c>: how this instance writes its configured clients to a database
/// that other instances may share.
/// </summary>
public sealed class ClientRegistrySynchronizationOptions
{
    public const string Section = "ClientRegistry";

    /// <summary>
    /// False makes the instance read-only for registrations: it writes no scope or client and serves whatever the
    /// shared database holds (its own <c>Clients</c>/<c>Scopes</c> must then be empty).
    /// </summary>
    public bool Synchronize { get; set; } = true;

    /// <summary>
    /// The registration set this instance owns. It creates and updates the clients it lists, disables clients of
    /// this set it no longer lists, and never touches clients of another set. Instances with the same client list
    /// share a set; instances with different lists need different sets.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", ErrorMessage = "ClientRegistry:Source must be 1-64 letters, digits, '.', '_' or '-'.")]
    public string Source { get; set; } = "configuration";
}
