import * as fs from "node:fs";

/** Overwrites then unlinks a key file: its bytes do not stay in the file's blocks where the FS allows. */
export function destroyKeyFile(file: string): void {
  if (!fs.existsSync(file)) return;
  const fd = fs.openSync(file, "r+");
  try {
    fs.writeSync(fd, Buffer.alloc(fs.fstatSync(fd).size));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(file);
}
