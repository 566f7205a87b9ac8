/**
 * When an answer's `Date` says the clock a request was signed with was wrong: the offset learned
 * from the answer differs from the one the request was signed with by 4 minutes or more (SigV4
 * refuses signatures more than 5 minutes off). Relative to the signing offset, not to zero, so
 * a correction back toward zero (the host clock was fixed after an offset was learned) counts as
 * much as one away from it; the bundled SDK (AwsSdkSigV4Signer.errorHandler) flags only offsets
 * of 4 minutes or more from zero, and would not retry that one.
 */
export const SKEW_CORRECTION_MS = 240_000;

/** Whether a request signed with `signedWithOffsetMs` was refused for a clock the answer has since corrected to `learnedOffsetMs`. */
export function isSkewCorrection(signedWithOffsetMs: number, learnedOffsetMs: number): boolean {
  return Math.abs(learnedOffsetMs - signedWithOffsetMs) >= SKEW_CORRECTION_MS;
}
