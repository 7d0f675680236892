using WhatsAppCalling.FunctionApp.Problems;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.Storage;
using WhatsAppCalling.Storage.Concurrency;

namespace WhatsAppCalling.FunctionApp.Billing;

/// <summary>The balance, ledger, top-up and rate routes (docs/API.md, "Balance, ledger and rates").</summary>
public static class BillingEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const decimal MaxTopUpUsd = 100_000m;

    // Supervisors read the ledger even when their token carries no agent role (docs/API.md, roles table).
    private static readonly AuthorizationPolicy LedgerReaders = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
        .RequireRole(Roles.Agent, Roles.Supervisor, Roles.Admin)
        .Build();

    public static IEndpointRouteBuilder MapBillingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/balance", GetBalanceAsync)
            .RequireAuthorization(Policies.Agent).WithName("GetBalance").WithTags("billing")
            .WithSummary("The prepaid balance: exact amount, display amount, and whether a top-up is required");
        endpoints.MapGet("/api/ledger", GetLedgerAsync)
            .RequireAuthorization(LedgerReaders).WithName("GetLedger").WithTags("billing")
            .WithSummary("Ledger entries, newest first, paged");
        endpoints.MapPost("/api/balance/top-ups", TopUpAsync)
            .RequireAuthorization(Policies.Admin).WithName("TopUpBalance").WithTags("billing")
            .WithSummary("Credit the prepaid balance, idempotent by the client's key");
        endpoints.MapGet("/api/rates/{e164}", GetRateAsync)
            .RequireAuthorization(Policies.Agent).WithName("GetRate").WithTags("billing")
            .WithSummary("Market, per-minute rate and whether the business may call a number");
        return endpoints;
    }

    private static Task<IResult> GetBalanceAsync(LedgerStore ledger, IOptions<BillingOptions> options, CancellationToken ct) =>
        GuardAsync(async () =>
        {
            var stored = await ledger.GetBalanceAsync(options.Value.LedgerWabaId, ct);
            return Results.Ok(BalanceResponse.From(stored, options.Value.MinimumBalance));
        });

    private static Task<IResult> GetLedgerAsync(
        LedgerStore ledger, IOptions<BillingOptions> options, string? pageSize, string? continuation, CancellationToken ct) =>
        GuardAsync(async () =>
        {
            var size = DefaultPageSize;
            if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
            {
                return ApiProblems.Field("pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}.");
            }

            try
            {
                var page = await ledger.ListAsync(options.Value.LedgerWabaId, size, continuation, ct);
                return Results.Ok(new LedgerPageResponse([.. page.Records.Select(LedgerItemResponse.From)], page.Continuation));
            }
            catch (FormatException)
            {
                return ApiProblems.Field("continuation", "continuation must be a value returned by a previous page.");
            }
        });

    private static Task<IResult> TopUpAsync(
        HttpContext http, LedgerStore ledger, IOptions<BillingOptions> options, IOptions<AuthOptions> auth, TimeProvider time,
        ILoggerFactory loggers, CancellationToken ct) =>
        GuardAsync(async () =>
        {
            var parsed = await TopUpRequest.ReadAsync(http.Request, ct);
            if (parsed.Problem is { } problem)
            {
                return problem;
            }

            var request = parsed.Request!;
            var logger = loggers.CreateLogger(typeof(BillingEndpoints));
            var actor = http.User.AgentId(auth.Value) ?? "unknown";
            var entry = LedgerEntry.TopUp(request.ClientKey, new Money(request.AmountUsd), time.GetUtcNow(), actor, request.Reason);
            var result = await ledger.AppendAsync(options.Value.LedgerWabaId, entry, ct);
            var recorded = result.Record;
            if (result.Outcome == LedgerAppendOutcome.Conflict)
            {
                BillingLog.TopUpKeyReused(logger, entry.Key, BalanceView.ExactTextOf(recorded.Entry.Amount), BalanceView.ExactTextOf(entry.Amount));
                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Idempotency key already used",
                    detail: $"The {IdempotencyKeyHeader} '{request.ClientKey}' already recorded a top-up of {BalanceView.ExactTextOf(recorded.Entry.Amount)}; use a new key for a different amount.",
                    extensions: new Dictionary<string, object?> { ["field"] = IdempotencyKeyHeader });
            }

            var body = new TopUpResponse(
                request.ClientKey,
                LedgerItemResponse.From(recorded),
                BalanceResponse.Exact(recorded.BalanceAfter),
                BalanceView.Of(recorded.BalanceAfter, options.Value.MinimumBalance).TopUpRequired);
            if (result.Outcome == LedgerAppendOutcome.AlreadyRecorded)
            {
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return Results.Ok(body);
            }

            BillingLog.ToppedUp(logger, entry.Key, BalanceView.ExactTextOf(entry.Amount), actor, BalanceView.ExactTextOf(recorded.BalanceAfter));
            return Results.Json(body, statusCode: StatusCodes.Status201Created);
        });

    private static Task<IResult> GetRateAsync(
        string e164, string? businessNumberId, BillingGate gate, RateBook rates, IOptions<BillingOptions> options, CancellationToken ct) =>
        GuardAsync(async () =>
        {
            if (!PhoneNumber.TryParse(Uri.UnescapeDataString(e164), out var callee))
            {
                return ApiProblems.Field("e164", $"'{e164}' is not an E.164 phone number (7 to 15 digits, optionally with a leading '+').");
            }

            BillingBusinessNumber? from;
            if (businessNumberId is not null)
            {
                from = options.Value.FindNumber(businessNumberId);
                if (from?.Number is null)
                {
                    return ApiProblems.Field("businessNumberId", $"'{businessNumberId}' is not a configured business number.");
                }
            }
            else
            {
                from = options.Value.BusinessNumbers.FirstOrDefault(n => n.Number is not null);
            }

            var decision = await gate.DescribeOutboundAsync(from, callee, ct);
            var quote = decision.Quote ?? rates.Quote(callee, gate.Today());
            return Results.Ok(RateResponse.From(callee, quote, decision, from?.PhoneNumberId));
        });

    /// <summary>Storage trouble and lost write races become problem bodies that say what to do, never a bare 500.</summary>
    private static async Task<IResult> GuardAsync(Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (ConcurrencyConflictException)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The balance is busy",
                detail: "Too many changes to the balance at once; nothing was recorded. Retry the request with the same key.");
        }
        catch (StorageRequestException ex)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Storage unavailable",
                detail: $"The ledger could not be read or written ({ex.Status}); retry later.");
        }
    }

    /// <summary>A validated top-up request.</summary>
    private sealed record TopUpRequest(string ClientKey, decimal AmountUsd, string Reason)
    {
        public static async Task<(TopUpRequest? Request, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
        {
            var (body, problem) = await JsonBodies.ReadObjectAsync(request, "{\"amountUsd\": 25.00, \"reference\": \"…\", \"note\": \"…\"}", ct);
            if (problem is not null)
            {
                return (null, problem);
            }

            if (ReadAmount(body) is not { } amount)
            {
                return (null, ApiProblems.Field("amountUsd", $"amountUsd is required: a positive number of dollars up to {MaxTopUpUsd}, at most 5 decimals."));
            }

            var header = request.Headers[IdempotencyKeyHeader].ToString();
            var fromBody = Text(body, "clientKey");
            if (header.Length > 0 && fromBody is not null && !string.Equals(header, fromBody, StringComparison.Ordinal))
            {
                return (null, ApiProblems.Field(IdempotencyKeyHeader, $"The {IdempotencyKeyHeader} header and clientKey differ; send one key."));
            }

            var key = header.Length > 0 ? header : fromBody;
            if (key is null || key.Length is 0 or > 100 || key.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?'))
            {
                return (null, ApiProblems.Field(IdempotencyKeyHeader,
                    $"Send a client key of 1 to 100 characters (no / \\ # ? or control characters) in the {IdempotencyKeyHeader} header or as clientKey."));
            }

            var reference = Text(body, "reference");
            var note = Text(body, "note");
            if (reference?.Length > 200 || note?.Length > 1000)
            {
                return (null, ApiProblems.Field(reference?.Length > 200 ? "reference" : "note", "reference is limited to 200 characters and note to 1000."));
            }

            // Every entry says why; the administrator's reference and note are that reason.
            var reason = string.Join("; ", new[] { reference is null ? null : "reference " + reference, note }.OfType<string>());
            return (new TopUpRequest(key, amount, reason.Length > 0 ? reason : "top-up"), null);
        }

        private static decimal? ReadAmount(JsonElement body)
        {
            if (!body.TryGetProperty("amountUsd", out var value))
            {
                return null;
            }

            decimal amount;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
            {
                amount = number;
            }
            else if (value.ValueKind == JsonValueKind.String
                && decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
            {
                amount = parsed;
            }
            else
            {
                return null;
            }

            return amount > 0m && amount <= MaxTopUpUsd && decimal.Round(amount, 5) == amount ? amount : null;
        }

        private static string? Text(JsonElement body, string name) =>
            body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 } text
                ? text
                : null;
    }
}
