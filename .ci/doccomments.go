//go:build ignore

// doccomments lists the doc comments of functions, types and single
// constants or variables that do not start with their identifier's name
// (or A, An, The), and exits 1 when there is one (.ci/run runs it). Run it
// from the module root:
//
//	go run .ci/doccomments.go store report tui cmd
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	n := 0
	for _, dir := range os.Args[1:] {
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if !strings.HasSuffix(p, ".go") {
				return nil
			}
			fs := token.NewFileSet()
			f, err := parser.ParseFile(fs, p, nil, parser.ParseComments)
			if err != nil {
				return nil
			}
			check := func(name string, doc *ast.CommentGroup, pos token.Pos) {
				if doc == nil {
					return
				}
				first := strings.Fields(doc.Text())
				if len(first) == 0 {
					return
				}
				w := strings.TrimRight(first[0], ",:.")
				if w != name && w != "A" && w != "An" && w != "The" {
					fmt.Printf("%s: %s: %q\n", fs.Position(pos), name, first[0])
					n++
				}
			}
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					check(d.Name.Name, d.Doc, d.Pos())
				case *ast.GenDecl:
					if len(d.Specs) == 1 {
						switch s := d.Specs[0].(type) {
						case *ast.TypeSpec:
							check(s.Name.Name, d.Doc, d.Pos())
						case *ast.ValueSpec:
							if len(s.Names) == 1 {
								check(s.Names[0].Name, d.Doc, d.Pos())
							}
						}
					}
				}
			}
			return nil
		})
	}
	fmt.Println("wrong:", n)
	if n > 0 {
		os.Exit(1)
	}
}
