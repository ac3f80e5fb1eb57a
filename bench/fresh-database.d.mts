export function freshDatabase(databaseUrl: string, suffix: string): Promise<string>;
