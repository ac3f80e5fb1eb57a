export declare const RECORD_FORMAT: number;
/** The stored form of a record text: [format tag][raw DEFLATE with that format's dictionary]. */
/** Whether records are compressed through one reused zlib stream (reused-deflate.mjs) rather than a stream each. */
export declare function encoderReusesStream(): boolean;
export declare function encodeRecord(text: string): Buffer;
/** The exact record text of a stored row (plain `record` for rows from before, else the decoded `body`). */
export declare function decodeRecord(row: { record?: string | null; body?: Uint8Array | null }): string;
