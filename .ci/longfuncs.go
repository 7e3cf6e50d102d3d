//go:build ignore

// longfuncs lists the functions whose body is longer than a limit (80 lines
// by default), test files included, longest first, and says which of them
// give a reason in their doc comment (a line starting «Long:»). Run it from
// the module's root:
//
//	go run .ci/longfuncs.go [-max 80] [dir ...]
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type long struct {
	pos    token.Position
	name   string
	lines  int
	reason bool
}

func main() {
	limit := flag.Int("max", 80, "the most body lines a function may have")
	flag.Parse()
	dirs := flag.Args()
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	fset := token.NewFileSet()
	var out []long
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				return err
			}
			out = append(out, longIn(fset, f, *limit)...)
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].lines > out[j].lines })
	for _, l := range out {
		why := ""
		if l.reason {
			why = "  (reason given)"
		}
		fmt.Printf("%4d  %s:%d  %s%s\n", l.lines, l.pos.Filename, l.pos.Line, l.name, why)
	}
}

// longIn returns the functions of f whose body has more than limit lines.
func longIn(fset *token.FileSet, f *ast.File, limit int) []long {
	var out []long
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		n := fset.Position(fn.Body.Rbrace).Line - fset.Position(fn.Body.Lbrace).Line - 1
		if n <= limit {
			continue
		}
		name := fn.Name.Name
		if fn.Recv != nil && len(fn.Recv.List) == 1 {
			name = recvName(fn.Recv.List[0].Type) + "." + name
		}
		reason := fn.Doc != nil && strings.Contains(fn.Doc.Text(), "Long:")
		out = append(out, long{fset.Position(fn.Pos()), name, n, reason})
	}
	return out
}

// recvName is the type name of a method's receiver.
func recvName(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.IndexExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	}
	return "?"
}
