namespace WorkerNode.Harness.Worker;

/// <summary>An exception the real (Python) server would raise inside a route; it answers 500 with the server's error body.</summary>
internal sealed class ServerError(string pythonType, string message) : Exception(message)
{
    public string PythonType { get; } = pythonType;

    /// <summary>The body the real server's exception handler writes, to the letter.</summary>
    public object ToBody() => new { error = new { type = PythonType, exception_message = Message, status_code = "500" } };

    /// <summary>What SQLAlchemy raises when a route looks up an id that has no row.</summary>
    public static ServerError NoResultFound() =>
        new("<class 'sqlalchemy.exc.NoResultFound'>", "No row was found when one was required");

    /// <summary>What <c>data["field"]</c> raises when a body lacks a required field.</summary>
    public static ServerError KeyError(string field) => new("<class 'KeyError'>", $"'{field}'");

    public static ServerError TypeError(string message) => new("<class 'TypeError'>", message);

    public static ServerError JsonDecodeError(string message) => new("<class 'json.decoder.JSONDecodeError'>", message);

    /// <summary>What <c>data.get(...)</c> raises when the body is JSON but not an object.</summary>
    public static ServerError NotAnObject(string pythonTypeName) =>
        new("<class 'AttributeError'>", $"'{pythonTypeName}' object has no attribute 'get'");
}
