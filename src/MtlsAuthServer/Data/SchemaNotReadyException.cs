namespace MtlsAuthServer.Data;

/// <summary>The schema is behind this build and the instance is not allowed to migrate it: retried, not fatal.</summary>
public sealed class SchemaNotReadyException(string message) : Exception(message);
