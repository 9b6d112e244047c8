using MtlsAuthServer.PkiTool;

return await PkiToolProgram.RunAsync(args, Console.Out, Console.Error);
