/* Test helper for .ci/windows: holds a file open the way Excel holds an open
   workbook (others may read it; nobody may write, delete or replace it) until
   a second file appears, so bestvalue.exe can be run against it under Wine.
   Built with mingw into CI's scratch folder; never shipped. */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv) {
  if (argc != 3) {
    fputs("usage: hold_open FILE RELEASE-FILE\n", stderr);
    return 2;
  }
  HANDLE h = CreateFileW(argv[1], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL,
                         OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    fprintf(stderr, "hold_open: cannot open the file (Windows error %lu)\n", GetLastError());
    return 1;
  }
  puts("holding");
  fflush(stdout);
  /* At most a minute, so a failed run never leaves it behind. */
  for (int i = 0; i < 600 && GetFileAttributesW(argv[2]) == INVALID_FILE_ATTRIBUTES; i++)
    Sleep(100);
  CloseHandle(h);
  return 0;
}
