// A per-account request budget: a token bucket, pure so it can live in the state file and be tested
// from a table. Times are seconds on any clock that only moves forward between calls (Unix time in
// the state file).
#pragma once

namespace svc::http {

struct Bucket {
  double tokens = 0;     // may go below zero: requests already promised a slot
  double updated_at = 0; // when `tokens` was last brought up to date
};

// Takes one token for a request about to be made, refilling first at `rate_per_s` up to `burst`
// tokens. Returns how many seconds the caller must wait before sending: 0 when a token was there.
// The token is taken either way (the bucket goes into debt), so a caller that waits the returned
// time and sends keeps to the rate, and the next caller's wait comes after it. A fresh Bucket{}
// (updated_at 0) is full at its first use with Unix times. rate_per_s <= 0 means "no budget"
// (always 0); a burst below 1 counts as 1. A clock that went backwards refills nothing.
double bucket_take(Bucket& bucket, double now, double rate_per_s, double burst);

} // namespace svc::http
