// Kept equal to package.json's version (a unit test checks), so --version needs no file read.
export const VERSION = '0.1.0';
