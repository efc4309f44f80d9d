// Reply classification: spec §2.6 (families), §3.6.1 (Status table), §3.9 (error catalogue),
// §4.4 (transaction replies), §3.10 (get_load_state).
#include <gtest/gtest.h>

#include <string>

#include "classify.h"

namespace srs {
namespace {

Outcome outcome(const std::string& body, int http = 200) { return classify_load_reply(http, body).outcome; }

std::string fail(const std::string& message) {
  return R"({"TxnId":-1,"Label":"l1","Status":"Fail","Message":")" + message + R"("})";
}
std::string be_txn(const std::string& status, const std::string& message) {
  return R"({"Status":")" + status + R"(","Message":")" + message + R"(","Db":"","Table":""})";
}
std::string fe_txn(const std::string& status, const std::string& message) {
  return R"({"Status":")" + status + R"(","Message":")" + message + R"(","TxnId":9032,"Label":"l1"})";
}

// ---- Stream Load, §3.6.1 ----

TEST(ClassifyStreamLoad, SuccessIsDoneAndFillsTheCounters) {
  LoadReply r = classify_load_reply(200, R"({
    "TxnId": 1003, "Label": "sink_t1_0_42", "Db": "test_db", "Table": "t1", "Status": "Success",
    "Message": "OK", "NumberTotalRows": 1000000, "NumberLoadedRows": 999999,
    "NumberFilteredRows": 1, "NumberUnselectedRows": 0, "LoadBytes": 40888898, "LoadTimeMs": 2144,
    "BeginTxnTimeMs": 0, "StreamLoadPlanTimeMs": 1, "ReadDataTimeMs": 0, "WriteDataTimeMs": 11,
    "CommitAndPublishTimeMs": 16,
    "ErrorURL": "http://172.26.195.68:8040/api/_load_error_log?file=error_log_3a4e"})");
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  EXPECT_EQ(r.status, "Success");
  EXPECT_EQ(r.message, "OK");
  EXPECT_EQ(r.label, "sink_t1_0_42");
  EXPECT_EQ(r.txn_id, 1003);
  EXPECT_EQ(r.rows_total, 1000000);
  EXPECT_EQ(r.rows_loaded, 999999);
  EXPECT_EQ(r.rows_filtered, 1);
  EXPECT_EQ(r.rows_unselected, 0);
  EXPECT_EQ(r.load_bytes, 40888898);
  EXPECT_EQ(r.load_time_ms, 2144);
  EXPECT_EQ(r.error_url, "http://172.26.195.68:8040/api/_load_error_log?file=error_log_3a4e");
}

TEST(ClassifyStreamLoad, PublishTimeoutIsSuccess) {
  EXPECT_EQ(outcome(R"({"Status":"Publish Timeout","Message":"Publish timeout. The data will be visible after a while"})"),
            Outcome::kSuccess);
}

TEST(ClassifyStreamLoad, LabelAlreadyExistsWithFinishedIsAlreadyFinished) {
  LoadReply r = classify_load_reply(200, R"({"TxnId":-1,"Label":"l1","Status":"Label Already Exists",
      "ExistingJobStatus":"FINISHED","Message":"Label [l1] has already been used."})");
  EXPECT_EQ(r.outcome, Outcome::kAlreadyFinished);
  EXPECT_EQ(r.existing_job_status, "FINISHED");
}

TEST(ClassifyStreamLoad, LabelAlreadyExistsWithRunningMustBeSettled) {
  EXPECT_EQ(outcome(R"({"Status":"Label Already Exists","ExistingJobStatus":"RUNNING","Message":"x"})"),
            Outcome::kAlreadyRunning);
}

TEST(ClassifyStreamLoad, LabelAlreadyExistsWithoutJobStatusMustBeSettled) {
  EXPECT_EQ(outcome(R"({"Status":"Label Already Exists","ExistingJobStatus":"","Message":"x"})"),
            Outcome::kAlreadyRunning);
  EXPECT_EQ(outcome(R"({"Status":"Label Already Exists","Message":"x"})"), Outcome::kAlreadyRunning);
}

TEST(ClassifyStreamLoad, FailWithTooManyFilteredRowsIsADataError) {
  LoadReply r = classify_load_reply(200, R"({"Status":"Fail","Message":"too many filtered rows",
      "NumberTotalRows":10,"NumberFilteredRows":3,"ErrorURL":"http://be/api/_load_error_log?file=e"})");
  EXPECT_EQ(r.outcome, Outcome::kDataError);
  EXPECT_EQ(r.rows_filtered, 3);
  EXPECT_EQ(r.error_url, "http://be/api/_load_error_log?file=e");
  EXPECT_EQ(outcome(fail("primary key size exceed the limit.")), Outcome::kDataError);
}

TEST(ClassifyStreamLoad, FailThatWillFailAgainIsPermanent) {
  const char* permanent[] = {
      "Access denied; you need (at least one of) the INSERT privilege(s) for this operation",
      "no valid Basic authorization",
      "Label format error. regex: ^[-\\\\w]{1,128}$, label: a.b",
      "unknown database, database=nope",
      "unknown table \\\"shop.nope\\\"",
      "Unsupported compression type: foo",
      "unknown data format, format=xml",
      "Only primary key table support partial update",
      "Conditional update only support primary key table orders",
      "Invalid timeout format",
      "Invalid timeout: '0'. Expected values should be between 1 and 259200 seconds",
      "Invalid strict mode format. Must be bool type",
      "Invalid partial update flag format. Must be bool type",
      "load_mem_limit must be equal or greater than 0",
      "body size 1000 exceed limit: 10, You can increase the limit",
      "The size of this batch exceed the max size [104857600]  of json type data  data [ 2 ].",
      "class com.starrocks.common.DdlException: There is no 100-continue header",
      "Duplicate column: a",
      "Mapping column is not in table. column: zz",
      "load op type string not supported: foo",
  };
  for (const char* m : permanent) EXPECT_EQ(outcome(fail(m)), Outcome::kPermanent) << m;
}

TEST(ClassifyStreamLoad, OtherFailuresAreRetryableWithTheSameLabel) {
  const char* retryable[] = {
      "current fe is not master",
      "No backend alive.",
      "Service is shutting down, please retry later!",
      "Stream Load exceed http cuncurrent limit 10, please try again later",
      "current running txns on db 10005 is 1000, larger than limit 1000",
      "receive body don't equal with body bytes",
      "failed to send rpc to fe",
      "Too many versions. tablet_id: 10021, version_count: 1001, limit: 1000",
      "something nobody has seen before",
  };
  for (const char* m : retryable) EXPECT_EQ(outcome(fail(m)), Outcome::kRetryable) << m;
}

TEST(ClassifyStreamLoad, FeFailedWithoutExpectIsPermanent) {
  EXPECT_EQ(outcome(R"({"Status": "FAILED", "Message": "class com.starrocks.common.DdlException: There is no 100-continue header"})"),
            Outcome::kPermanent);
}

TEST(ClassifyStreamLoad, StatusAndMessageKeysAreCaseInsensitive) {
  LoadReply r = classify_load_reply(200, R"({"status":"fail","msg":"too many filtered rows"})");
  EXPECT_EQ(r.outcome, Outcome::kDataError);
  EXPECT_EQ(r.message, "too many filtered rows");
  EXPECT_EQ(outcome(R"({"STATUS":"SUCCESS","MESSAGE":"OK"})"), Outcome::kSuccess);
  EXPECT_EQ(outcome(R"({"status":"label already exists","existingjobstatus":"finished"})"),
            Outcome::kAlreadyFinished);
}

TEST(ClassifyStreamLoad, NumbersAsStringsAreAccepted) {
  LoadReply r = classify_load_reply(200, R"({"Status":"Success","NumberLoadedRows":"12","TxnId":"5"})");
  EXPECT_EQ(r.rows_loaded, 12);
  EXPECT_EQ(r.txn_id, 5);
}

TEST(ClassifyStreamLoad, AbsurdCountersDoNotOverflow) {
  LoadReply r = classify_load_reply(200, R"({"Status":"Success","NumberLoadedRows":1e300,"TxnId":-1e300,"LoadBytes":7})");
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  EXPECT_EQ(r.rows_loaded, 0);
  EXPECT_EQ(r.txn_id, -1);
  EXPECT_EQ(r.load_bytes, 7);
}

TEST(ClassifyStreamLoad, UnparseableOrStatuslessRepliesAreUnknown) {
  EXPECT_EQ(outcome(""), Outcome::kUnknown);
  EXPECT_EQ(outcome("not json"), Outcome::kUnknown);
  EXPECT_EQ(outcome(R"({"Status":"Succ)"), Outcome::kUnknown);  // truncated
  EXPECT_EQ(outcome(R"({"Message":"OK"})"), Outcome::kUnknown);
  EXPECT_EQ(outcome("[1,2]"), Outcome::kUnknown);
}

// ---- HTTP status codes, §3.6.2 ----

TEST(ClassifyHttp, Unauthorized401IsPermanentAndKeepsTheMessage) {
  LoadReply r = classify_load_reply(401, R"({"status":"FAILED","code":"1","msg":"Access denied for root@127.0.0.1","message":"Access denied for root@127.0.0.1"})");
  EXPECT_EQ(r.outcome, Outcome::kPermanent);
  EXPECT_EQ(r.message, "Access denied for root@127.0.0.1");
  EXPECT_EQ(classify_load_reply(401, "").outcome, Outcome::kPermanent);
  EXPECT_EQ(classify_load_reply(403, "").outcome, Outcome::kPermanent);
}

TEST(ClassifyHttp, NotFound404IsPermanent) {
  LoadReply r = classify_load_reply(404, "Not Found");
  EXPECT_EQ(r.outcome, Outcome::kPermanent);
  EXPECT_EQ(r.message, "Not Found");
}

TEST(ClassifyHttp, ServerError500IsUnknownUnlessItCarriesAStatus) {
  EXPECT_EQ(classify_load_reply(500, "java.lang.NullPointerException").outcome, Outcome::kUnknown);
  EXPECT_EQ(classify_load_reply(500, R"({"status":"FAILED","msg":"current fe is not master"})").outcome,
            Outcome::kRetryable);
}

TEST(ClassifyHttp, Unavailable503IsRetryable) {
  EXPECT_EQ(classify_load_reply(503, "").outcome, Outcome::kRetryable);
  EXPECT_EQ(classify_load_reply(429, "").outcome, Outcome::kRetryable);
}

TEST(ClassifyHttp, GatewayErrorsAreUnknown) {
  EXPECT_EQ(classify_load_reply(502, "").outcome, Outcome::kUnknown);
  EXPECT_EQ(classify_load_reply(504, "").outcome, Outcome::kUnknown);
  EXPECT_EQ(classify_load_reply(413, "").outcome, Outcome::kPermanent);
}

// ---- Transaction replies, BE origin (thrift status names), §4.4 ----

TEST(ClassifyTxnBe, OkIsSuccessAndCarriesTxnId) {
  LoadReply r = classify_load_reply(200, R"({"Status": "OK", "Message": "", "Db": "test_db", "Table": "t1", "Label": "l1", "TxnId": 9032, "BeginTxnTimeMs": 0})");
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  EXPECT_EQ(r.txn_id, 9032);
  EXPECT_EQ(r.label, "l1");
}

TEST(ClassifyTxnBe, PrepareOkFillsTheCounters) {
  LoadReply r = classify_load_reply(200, R"({"Status":"OK","Label":"l1","TxnId":7,"NumberTotalRows":5,"NumberLoadedRows":4,"NumberFilteredRows":1,"NumberUnselectedRows":0,"LoadBytes":99,"LoadTimeMs":3})");
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  EXPECT_EQ(r.rows_total, 5);
  EXPECT_EQ(r.rows_loaded, 4);
  EXPECT_EQ(r.rows_filtered, 1);
  EXPECT_EQ(r.load_bytes, 99);
}

TEST(ClassifyTxnBe, LabelAlreadyExistsFollowsExistingJobStatus) {
  EXPECT_EQ(outcome(R"({"Status": "LABEL_ALREADY_EXISTS", "ExistingJobStatus": "FINISHED", "Message": "Label [l1] has already been used."})"),
            Outcome::kAlreadyFinished);
  EXPECT_EQ(outcome(R"({"Status": "LABEL_ALREADY_EXISTS", "ExistingJobStatus": "RUNNING", "Message": "x"})"),
            Outcome::kAlreadyRunning);
  EXPECT_EQ(outcome(R"({"Status": "LABEL_ALREADY_EXISTS", "ExistingJobStatus": "", "Message": "x"})"),
            Outcome::kAlreadyRunning);
}

TEST(ClassifyTxnFe, MultiTableLabelAlreadyExistsReportsTheRawState) {
  EXPECT_EQ(outcome(R"({"Status":"LABEL_ALREADY_EXISTS","ExistingJobStatus":"VISIBLE","Db":"d"})"),
            Outcome::kAlreadyFinished);
  EXPECT_EQ(outcome(R"({"Status":"LABEL_ALREADY_EXISTS","ExistingJobStatus":"COMMITTED"})"),
            Outcome::kAlreadyFinished);
  EXPECT_EQ(outcome(R"({"Status":"LABEL_ALREADY_EXISTS","ExistingJobStatus":"PREPARED"})"),
            Outcome::kAlreadyRunning);
}

TEST(ClassifyTxnBe, TxnNotExistsMustBeSettled) {
  EXPECT_EQ(outcome(be_txn("TXN_NOT_EXISTS", "Transaction with label l1 not exists")), Outcome::kTxnNotExists);
}

TEST(ClassifyTxnBe, TxnInProcessingMeansWaitAndRetry) {
  LoadReply r = classify_load_reply(200, R"({"Status": "TXN_IN_PROCESSING", "Label": "l1", "Message": "Transaction is in processing", "Db": "", "Table": ""})");
  EXPECT_EQ(r.outcome, Outcome::kTxnInProcessing);
  EXPECT_EQ(r.label, "l1");
}

TEST(ClassifyTxnBe, PublishTimeoutMeansCommitted) {
  EXPECT_EQ(outcome(be_txn("PUBLISH_TIMEOUT", "publish timeout")), Outcome::kSuccess);
}

TEST(ClassifyTxnBe, InternalErrorTooManyFilteredRowsIsADataError) {
  EXPECT_EQ(outcome(be_txn("INTERNAL_ERROR", "too many filtered rows")), Outcome::kDataError);
}

TEST(ClassifyTxnBe, InternalErrorLoadRequestNotEqualLastIsPermanent) {
  EXPECT_EQ(outcome(be_txn("INTERNAL_ERROR", "load request not equal last.")), Outcome::kPermanent);
  EXPECT_EQ(outcome(be_txn("INTERNAL_ERROR", "transaction 5 hasn't send any data yet")), Outcome::kPermanent);
}

TEST(ClassifyTxnBe, OtherInternalErrorsAreRetryable) {
  EXPECT_EQ(outcome(be_txn("INTERNAL_ERROR", "failed to begin txn")), Outcome::kRetryable);
}

TEST(ClassifyTxnBe, InvalidArgumentIsPermanent) {
  EXPECT_EQ(outcome(be_txn("INVALID_ARGUMENT", "Request table t2 not equal transaction table t1")),
            Outcome::kPermanent);
  EXPECT_EQ(outcome(be_txn("INVALID_ARGUMENT", "anything")), Outcome::kPermanent);
}

TEST(ClassifyTxnBe, AbortedIsRetryable) {
  EXPECT_EQ(outcome(be_txn("ABORTED", "The load is timeout, and will be aborted")), Outcome::kRetryable);
  EXPECT_EQ(outcome(be_txn("ABORTED", "current transaction is aborted")), Outcome::kRetryable);
  EXPECT_EQ(outcome(be_txn("ABORTED", "transaction is aborted")), Outcome::kRetryable);
}

TEST(ClassifyTxnBe, AnalysisErrorIsPermanentUnlessTransient) {
  EXPECT_EQ(outcome(be_txn("ANALYSIS_ERROR", "unknown table \\\"d.t\\\"")), Outcome::kPermanent);
  EXPECT_EQ(outcome(be_txn("ANALYSIS_ERROR", "some analysis problem")), Outcome::kPermanent);
  EXPECT_EQ(outcome(be_txn("ANALYSIS_ERROR", "current running txns on db 1 is 1000, larger than limit 1000")),
            Outcome::kRetryable);
}

TEST(ClassifyTxnBe, TransientThriftStatusesAreRetryable) {
  for (const char* s : {"TIMEOUT", "MEM_LIMIT_EXCEEDED", "SERVICE_UNAVAILABLE", "RUNTIME_ERROR",
                        "THRIFT_RPC_ERROR", "CANCELLED"}) {
    EXPECT_EQ(outcome(be_txn(s, "x")), Outcome::kRetryable) << s;
  }
}

TEST(ClassifyTxnBe, PermanentThriftStatuses) {
  EXPECT_EQ(outcome(be_txn("NOT_IMPLEMENTED_ERROR", "x")), Outcome::kPermanent);
  EXPECT_EQ(outcome(be_txn("DATA_QUALITY_ERROR", "x")), Outcome::kDataError);
}

// ---- Transaction replies, FE origin (TransactionResult), §4.4 ----

TEST(ClassifyTxnFe, OkIsSuccess) { EXPECT_EQ(outcome(fe_txn("OK", "")), Outcome::kSuccess); }

TEST(ClassifyTxnFe, CommitOfAnAlreadyCommittedLabelIsOk) {
  EXPECT_EQ(outcome(fe_txn("OK", "Transaction 9032 has already committed, label is l1")), Outcome::kSuccess);
  EXPECT_EQ(outcome(R"({"Status":"OK","Message":"label l1 transaction 9032 has already committed","Label":"l1"})"),
            Outcome::kSuccess);
}

TEST(ClassifyTxnFe, RollbackOfAnAlreadyAbortedLabelIsOk) {
  EXPECT_EQ(outcome(fe_txn("OK", "Transaction 9032 has already aborted, label is l1")), Outcome::kSuccess);
}

TEST(ClassifyTxnFe, PublishTimeoutOnCommitMeansCommitted) {
  EXPECT_EQ(outcome(fe_txn("FAILED", "class com.starrocks.common.StarRocksException: publish timeout: 20000, transactionId=9032")),
            Outcome::kSuccess);
}

TEST(ClassifyTxnFe, NoTransactionFoundMustBeSettled) {
  EXPECT_EQ(outcome(fe_txn("FAILED", "class com.starrocks.common.StarRocksException: No transaction found by label l1")),
            Outcome::kTxnNotExists);
  EXPECT_EQ(outcome(fe_txn("FAILED", "No transaction found with db[d] and label[l1]")), Outcome::kTxnNotExists);
  EXPECT_EQ(outcome(fe_txn("FAILED", "Can't find the transaction with db [d] and label[l1]. The possible reasons: 1. FE leader is started or switched; 2. The transaction timeouts and is cleaned.")),
            Outcome::kTxnNotExists);
}

TEST(ClassifyTxnFe, CommitOfAnAbortedTransactionIsPermanent) {
  EXPECT_EQ(outcome(fe_txn("FAILED", "class com.starrocks.common.StarRocksException: Can not commit ABORTED transaction 9032, label is l1")),
            Outcome::kPermanent);
  EXPECT_EQ(outcome(fe_txn("FAILED", "cannot commit aborted transaction 9032, label l1")), Outcome::kPermanent);
}

TEST(ClassifyTxnFe, RollbackOfAVisibleTransactionIsPermanent) {
  EXPECT_EQ(outcome(fe_txn("FAILED", "class com.starrocks.common.StarRocksException: Can not abort VISIBLE transaction 9032, label is l1")),
            Outcome::kPermanent);
}

TEST(ClassifyTxnFe, LeaderChangeIsRetryable) {
  EXPECT_EQ(outcome(fe_txn("FAILED", "current fe is not master")), Outcome::kRetryable);
}

TEST(ClassifyTxnFe, MissingDbOrLabelIsPermanent) {
  EXPECT_EQ(outcome(fe_txn("FAILED", "No database selected.")), Outcome::kPermanent);
  EXPECT_EQ(outcome(fe_txn("FAILED", "Empty label.")), Outcome::kPermanent);
  EXPECT_EQ(outcome(fe_txn("FAILED", "Unsupported operation: prepare")), Outcome::kPermanent);
}

TEST(ClassifyTxnFe, ColumnThatDoesNotExistIsNotATransactionLookup) {
  EXPECT_EQ(outcome(fe_txn("FAILED", "Column `zz` does not exist")), Outcome::kRetryable);
}

// ---- Generic FE REST results, §2.6 ----

TEST(ClassifyRest, LowerCaseStatusWithMsgAndMessage) {
  LoadReply r = classify_load_reply(200, R"({"status":"OK","code":"0","msg":"Success","message":"OK"})");
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  r = classify_load_reply(200, R"({"status":"FAILED","code":"1","msg":"unknown database, database=x","message":"unknown database, database=x"})");
  EXPECT_EQ(r.outcome, Outcome::kPermanent);
  EXPECT_EQ(r.message, "unknown database, database=x");
}

TEST(ClassifyRest, V2ResultWithOnlyACode) {
  EXPECT_EQ(outcome(R"({"code":"0","message":"OK","result":{}})"), Outcome::kSuccess);
  EXPECT_EQ(outcome(R"({"code":0,"message":"OK"})"), Outcome::kSuccess);
  EXPECT_EQ(outcome(R"({"code":"403","message":"Access denied for user x"})"), Outcome::kPermanent);
}

// ---- get_load_state, §3.10 ----

TEST(LoadState, EveryStateIsReturned) {
  for (const char* s : {"UNKNOWN", "PREPARE", "PREPARED", "COMMITTED", "VISIBLE", "ABORTED"}) {
    std::string err = "stale";
    std::string body = std::string(R"({"state":")") + s + R"(","status":"OK","code":"0","msg":"Success","message":"OK"})";
    EXPECT_EQ(parse_load_state(200, body, &err), s);
    EXPECT_EQ(err, "");
  }
}

TEST(LoadState, StateIsUpperCasedAndReasonTolerated) {
  std::string err;
  EXPECT_EQ(parse_load_state(200, R"({"State":"visible","Status":"ok","reason":"x"})", &err), "VISIBLE");
}

TEST(LoadState, FailedReplyGivesTheMessage) {
  std::string err;
  EXPECT_EQ(parse_load_state(200, R"({"status":"FAILED","code":"1","msg":"unknown database, database=x","message":"unknown database, database=x"})", &err),
            "");
  EXPECT_NE(err.find("unknown database, database=x"), std::string::npos) << err;
}

TEST(LoadState, NonJsonHttpErrorAndMissingStateAreErrors) {
  std::string err;
  EXPECT_EQ(parse_load_state(200, "garbage", &err), "");
  EXPECT_FALSE(err.empty());
  EXPECT_EQ(parse_load_state(401, R"({"status":"FAILED","msg":"Access denied"})", &err), "");
  EXPECT_NE(err.find("401"), std::string::npos);
  EXPECT_NE(err.find("Access denied"), std::string::npos);
  EXPECT_EQ(parse_load_state(200, R"({"status":"OK"})", &err), "");
  EXPECT_NE(err.find("no state"), std::string::npos);
  EXPECT_EQ(parse_load_state(200, "{}", nullptr), "");
}

// Version pressure and other push-back (issue #19): retryable, flagged as throttled, naming the
// StarRocks setting that bounds it; other retryable failures are not.
TEST(ClassifyPushBack, VersionPressureRunningTxnLimitAnd429And503AreThrottled) {
  struct Case {
    int http;
    std::string body;
    const char* setting;
  } cases[] = {
      {200, R"({"Status":"Fail","Message":"Too many versions. tablet_id: 10021, version_count: 1001, limit: 1000"})",
       "tablet_max_versions"},
      {200, R"({"Status":"Fail","Message":"Failed to load data into tablet 10021, because of too many versions, current/limit: 1002/1000"})",
       "tablet_max_versions"},
      {200, R"({"status":"INTERNAL_ERROR","msg":"too many tablet versions"})", "tablet_max_versions"},
      {200, R"({"Status":"Fail","Message":"current running txns on db 10005 is 1000, larger than limit 1000"})",
       "max_running_txn_num_per_db"},
      {200, R"({"status":"ANALYSIS_ERROR","msg":"current running txns on db 1 is 100, larger than limit 100"})",
       "max_running_txn_num_per_db"},
      {429, "", "429"},
      {503, "Service Unavailable", "503"},
  };
  for (const Case& c : cases) {
    LoadReply r = classify_load_reply(c.http, c.body);
    EXPECT_EQ(r.outcome, Outcome::kRetryable) << c.body;
    EXPECT_TRUE(r.throttled) << c.body;
    EXPECT_NE(r.throttle_setting.find(c.setting), std::string::npos) << r.throttle_setting;
  }
  for (const char* m : {"current fe is not master", "receive body don't equal with body bytes",
                        "too many filtered rows"}) {
    EXPECT_FALSE(classify_load_reply(200, fail(m)).throttled) << m;
  }
  EXPECT_FALSE(classify_load_reply(500, "").throttled);
}

}  // namespace
}  // namespace srs
