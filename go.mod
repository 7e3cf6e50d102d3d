module sout

go 1.26.8
