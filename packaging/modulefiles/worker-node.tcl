#%Module1.0
## worker-node @VERSION@: the Jobmon worker node as one native executable.
## An Environment Modules (Tcl) modulefile; Lmod reads it as it is. Install as
##   MODULEPATH_DIR/worker-node/@VERSION@
## and set `root` below to the directory the tarball unpacked into on the shared filesystem.

proc ModulesHelp { } {
    puts stderr "worker-node @VERSION@: runs one task of a Jobmon workflow under full process control."
    puts stderr "Puts worker-node and worker_node_entry_point on PATH."
}

module-whatis "worker-node @VERSION@: Jobmon worker node (worker_node_entry_point), one native executable"

set root /shared/apps/worker-node-@VERSION@

conflict worker-node
prepend-path PATH $root
