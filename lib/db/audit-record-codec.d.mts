export declare const RECORD_FORMAT: number;
/** Whether records are compressed and read through one reused zlib stream each way (reused-zlib.mjs), not a stream per record. */
export declare function codecReusesStreams(): boolean;
/**
 * The stored form of a record text: [format tag][raw DEFLATE with that format's dictionary]. With the row's
 * `eventId`, the record's eventID value is kept only in that column (format 2).
 */
export declare function encodeRecord(text: string, eventId?: string): Buffer;
/** The exact record text of a stored row (plain `record` for rows from before, else the decoded `body`; format 2 needs `eventId`). */
export declare function decodeRecord(row: { record?: string | null; body?: Uint8Array | null; eventId: string }): string;
