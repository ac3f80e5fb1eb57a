export declare const RECORD_FORMAT: number;
/** Whether records are compressed and read through one reused zlib stream each way (reused-zlib.mjs), not a stream per record. */
export declare function codecReusesStreams(): boolean;
/** The stored form of a record text: [format tag][raw DEFLATE with that format's dictionary]. */
export declare function encodeRecord(text: string): Buffer;
/** The exact record text of a stored row (plain `record` for rows from before, else the decoded `body`). */
export declare function decodeRecord(row: { record?: string | null; body?: Uint8Array | null }): string;
