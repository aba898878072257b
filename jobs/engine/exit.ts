// Exit codes of every job but doctor (DESIGN "The `ytm` command").
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_REFUSED = 2;
export const EXIT_USAGE = 64;
