#include <stdio.h>
int main(void) { puts("tinyfit"); return 0; }
