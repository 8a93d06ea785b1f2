# Run the program to the crash, then show the Python stack and the C stack.
run
py-bt
bt 12
