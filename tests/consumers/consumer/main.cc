// Builds a message through the public API and prints two of its fields.
#include <iostream>

#include "pydest/message.h"

int main() {
  pydest::Message m =
      pydest::MessageBuilder().SetHost("h").SetProgram("consumer").SetPri(13).Build();
  std::cout << m.host() << " " << m.program() << " " << m.pri() << "\n";
  return m.host() == "h" && m.pri() == 13 ? 0 : 1;
}
