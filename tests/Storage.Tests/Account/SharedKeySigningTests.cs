using WhatsAppCalling.Storage.Account;
using WhatsAppCalling.Storage.Blobs;

namespace WhatsAppCalling.Storage.Tests.Account;

/// <summary>
/// Strings-to-sign written out by hand from the documented formats (azure-protocols.md §2.3, §3, §4), and
/// signatures computed independently (Python hmac/hashlib) with the public Azurite key.
/// </summary>
public sealed class SharedKeySigningTests
{
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string Date = "Sun, 22 Nov 2026 02:00:00 GMT";

    private static CanonicalRequest Request(string method, string uri, long length, params (string Name, string Value)[] headers) =>
        new(method, new Uri(uri), headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList(), length);

    [Fact]
    public void Queue_put_message_string_to_sign_has_twelve_header_lines_sorted_ms_headers_and_sorted_query()
    {
        var request = Request("POST", "http://127.0.0.1:10001/devstoreaccount1/myqueue/messages?visibilitytimeout=30&messagettl=-1", 60,
            ("Content-Type", "application/xml; charset=utf-8"), ("x-ms-version", "2020-12-06"), ("x-ms-date", Date),
            ("X-MS-Client-Request-Id", "abc"), ("Accept", "application/xml"));

        var stringToSign = SharedKeySigning.BlobQueueStringToSign("devstoreaccount1", request);

        Assert.Equal(
            "POST\n\n\n60\n\napplication/xml; charset=utf-8\n\n\n\n\n\n\n" +
            "x-ms-client-request-id:abc\nx-ms-date:Sun, 22 Nov 2026 02:00:00 GMT\nx-ms-version:2020-12-06\n" +
            "/devstoreaccount1/devstoreaccount1/myqueue/messages\nmessagettl:-1\nvisibilitytimeout:30",
            stringToSign);
        Assert.Equal("KfLPGcHG+y9ZcL/UGcai4UrJx6SNjeNmzCpOPpFsvxk=", new SharedKeyCredential("devstoreaccount1", DevKey).ComputeSignature(stringToSign));
    }

    [Fact]
    public void Blob_query_parameters_are_decoded_lower_cased_and_sorted_and_a_zero_length_is_empty()
    {
        var request = Request("GET", "https://myaccount.blob.core.windows.net/mycontainer?restype=container&Comp=list&prefix=a%2Fb", 0,
            ("x-ms-date", Date), ("If-Match", "\"0x1\""), ("Range", "bytes=0-9"));

        Assert.Equal(
            "GET\n\n\n\n\n\n\n\n\"0x1\"\n\n\nbytes=0-9\nx-ms-date:Sun, 22 Nov 2026 02:00:00 GMT\n" +
            "/myaccount/mycontainer\ncomp:list\nprefix:a/b\nrestype:container",
            SharedKeySigning.BlobQueueStringToSign("myaccount", request));
    }

    [Fact]
    public void Table_shared_key_string_to_sign_uses_x_ms_date_as_the_date_and_keeps_only_comp()
    {
        var request = Request("POST", "https://myaccount.table.core.windows.net/Tables?timeout=30", 20,
            ("Content-Type", "application/json"), ("x-ms-date", Date), ("x-ms-version", "2020-12-06"));

        Assert.Equal(
            "POST\n\napplication/json\nSun, 22 Nov 2026 02:00:00 GMT\n/myaccount/Tables",
            SharedKeySigning.TableStringToSign("myaccount", request));
        Assert.Equal("/myaccount/mytable?comp=acl",
            SharedKeySigning.LiteCanonicalizedResource("myaccount", new Uri("https://myaccount.table.core.windows.net/mytable?comp=acl&timeout=5")));
    }

    [Fact]
    public void Table_shared_key_lite_signs_date_and_the_path_style_resource_with_the_account_twice()
    {
        var request = Request("GET", "http://127.0.0.1:10002/devstoreaccount1/Tables", 0, ("x-ms-date", Date));

        var stringToSign = SharedKeySigning.TableLiteStringToSign("devstoreaccount1", request);

        Assert.Equal("Sun, 22 Nov 2026 02:00:00 GMT\n/devstoreaccount1/devstoreaccount1/Tables", stringToSign);
        Assert.Equal("tnQiCRPWBr29OVJeThfHX602ivMhcfOB4IF1Y7+lN1E=", new SharedKeyCredential("devstoreaccount1", DevKey).ComputeSignature(stringToSign));
        Assert.Equal("SharedKeyLite", SharedKeySigning.AuthorizationScheme(SharedKeyScheme.TableLite));
    }

    [Fact]
    public void Entity_keys_in_the_signed_path_stay_percent_encoded_as_sent()
    {
        var request = Request("GET", "http://127.0.0.1:10002/devstoreaccount1/calls(PartitionKey='o%27%27k',RowKey='a%20b')", 0, ("x-ms-date", Date));

        Assert.Equal(
            "Sun, 22 Nov 2026 02:00:00 GMT\n/devstoreaccount1/devstoreaccount1/calls(PartitionKey='o%27%27k',RowKey='a%20b')",
            SharedKeySigning.TableLiteStringToSign("devstoreaccount1", request));
    }

    [Fact]
    public void A_service_SAS_signs_the_2020_12_06_field_order()
    {
        var sas = new BlobSasRequest("devstoreaccount1", "rec", "a/b.ogg", "r",
            new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 22, 2, 15, 0, TimeSpan.Zero));

        Assert.Equal(
            "r\n2026-11-22T02:00:00Z\n2026-11-22T02:15:00Z\n/blob/devstoreaccount1/rec/a/b.ogg\n\n\n\n2020-12-06\nb\n\n\n\n\n\n\n",
            BlobSas.ServiceSasStringToSign(sas));
        Assert.Equal(
            "sv=2020-12-06&st=2026-11-22T02%3A00%3A00Z&se=2026-11-22T02%3A15%3A00Z&sr=b&sp=r&sig=" + Uri.EscapeDataString("VmCJKivLinr7v4wHg6IGnGQKBOyLlDL8pmqOjtMNsCo="),
            BlobSas.ServiceSasQuery(sas, Convert.FromBase64String(DevKey)));
    }

    [Fact]
    public void A_user_delegation_SAS_signs_the_delegation_key_fields_with_the_key_value()
    {
        var key = new UserDelegationKey("oid-1", "tid-1",
            new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero),
            "b", "2020-12-06", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        var sas = new BlobSasRequest("contoso", "rec", "a.ogg", "r",
            new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 22, 2, 15, 0, TimeSpan.Zero), Protocol: "https");

        Assert.Equal(
            "r\n2026-11-22T02:00:00Z\n2026-11-22T02:15:00Z\n/blob/contoso/rec/a.ogg\noid-1\ntid-1\n2026-11-22T01:00:00Z\n2026-11-23T01:00:00Z\nb\n2020-12-06\n" +
            "\n\n\n\nhttps\n2020-12-06\nb\n\n\n\n\n\n\n",
            BlobSas.UserDelegationSasStringToSign(sas, key));
        var query = BlobSas.UserDelegationSasQuery(sas, key);
        Assert.Contains("&skoid=oid-1&sktid=tid-1&skt=2026-11-22T01%3A00%3A00Z&ske=2026-11-23T01%3A00%3A00Z&sks=b&skv=2020-12-06&", query, StringComparison.Ordinal);
        Assert.EndsWith("&sig=" + Uri.EscapeDataString("QNK+R1W5/ZerVyNNn72CGF65j9Im9aeWYLrV768XYGY="), query, StringComparison.Ordinal);
    }
}
