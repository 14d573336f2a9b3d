using Haven.Web;

return await HavenProgram.RunAsync(args);

/// <summary>Entry point marker for WebApplicationFactory in the tests.</summary>
public partial class Program;
