export function freshDatabase(databaseUrl: string, suffix: string): Promise<string>;
export function migrate(url: string): void;
