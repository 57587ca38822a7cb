import ArgumentParser
import XunchaWeb
print("x")
